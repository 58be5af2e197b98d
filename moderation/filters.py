import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditLogEntry

ACTIONS = [
    ("approve", _("Approve")),
    ("reject", _("Reject")),
    ("hide", _("Hide")),
    ("auto_hide", _("Hidden by flags")),
    ("restore", _("Restore")),
    ("flags_dismiss", _("Flags dismissed")),
    ("flags_uphold", _("Flags upheld")),
    ("claim", _("Claim")),
    ("warn", _("Warn")),
    ("silence", _("Silence")),
    ("suspend", _("Suspend")),
    ("ban", _("Ban")),
    ("lift", _("Sanction lifted")),
    ("expire", _("Sanction expired")),
    ("appeal_grant", _("Appeal granted")),
    ("appeal_deny", _("Appeal denied")),
    ("document_publish", _("Page version published")),
    ("blocked_word_add", _("Blocked word added")),
    ("blocked_word_remove", _("Blocked word removed")),
    # Written by the apps above moderation (the codes are their own, kept as stored).
    ("forum.question_edit", _("Question edited")),
    ("forum.question_lock", _("Question locked")),
    ("forum.question_unlock", _("Question unlocked")),
    ("forum.question_move", _("Question moved")),
    ("forum.question_close_duplicate", _("Closed as a duplicate")),
    ("forum.question_reopen", _("Question reopened")),
    ("forum.question_retag", _("Question retagged")),
    ("forum.question_close_vote", _("Vote to close")),
    ("forum.question_reopen_vote", _("Vote to reopen")),
    ("forum.question_close", _("Question closed by votes")),
    ("forum.edit_suggest", _("Edit suggested")),
    ("forum.edit_suggestion_approve", _("Suggested edit approved")),
    ("forum.edit_suggestion_reject", _("Suggested edit rejected")),
    ("forum.revision_revert", _("Post reverted to an earlier version")),
    ("forum.question_delete", _("Question deleted")),
    ("forum.question_restore", _("Question restored")),
    ("forum.answer_edit", _("Answer edited")),
    ("forum.answer_accept", _("Answer accepted")),
    ("forum.answer_delete", _("Answer deleted")),
    ("forum.answer_restore", _("Answer restored")),
    ("forum.comment_edit", _("Comment edited")),
    ("forum.comment_delete", _("Comment deleted")),
    ("forum.comment_restore", _("Comment restored")),
    ("forum.idea_merge", _("Ideas merged")),
    ("ambassador_approve", _("Ambassador approved")),
    ("ambassador_reject", _("Ambassador application declined")),
    ("ambassador_warn", _("Ambassador warned")),
    ("ambassador_revoke", _("Ambassador status revoked")),
    ("referral_approve", _("Referral approved")),
    ("referral_reject", _("Referral rejected")),
    ("referral_clawback", _("Referral clawed back")),
    ("conversations.flagged_view", _("Flagged private conversation opened")),
]


class AuditLogFilter(django_filters.FilterSet):
    # A list of the actions by their labels: staff never have to know the stored codes.
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=ACTIONS, empty_label=_("Any action")
    )
    actor = django_filters.CharFilter(field_name="actor__username", label=_("Moderator"))
    member = django_filters.CharFilter(field_name="member__username", label=_("Member"))
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = django_filters.CharFilter(method="search", label=_("Reason or target contains"))

    class Meta:
        model = AuditLogEntry
        fields = ["action", "actor", "member", "since", "until", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(reason__icontains=value) | Q(target_repr__icontains=value))
