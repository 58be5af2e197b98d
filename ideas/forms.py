"""The idea board's forms."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Category
from uploads.widgets import MarkdownEditor

from .models import IdeaStatus
from .permissions import Viewer


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        min_length=8,
        max_length=160,
        help_text=_("One sentence: what should the product do?"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=MarkdownEditor(attrs={"rows": 8}),
        help_text=_("Why do you need it? Markdown works."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(ambassadors_only=False),
        to_field_name="slug",
    )
    # Set once the member has seen the similar ideas and still wants to post.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, member: Viewer = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (
            member is not None
            and member.is_authenticated
            and (member.is_staff or member.badge == "ambassador")
        ):
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.all()


class IdeaCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=2000, min_length=2, widget=MarkdownEditor(attrs={"rows": 3})
    )


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IdeaStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the idea's history and sent to its voters and followers."),
    )


class IdeaReviewForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept (under review)")),
        ("decline", _("Decline")),
        ("merge", _("Merge into another idea")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    merge_into = forms.IntegerField(label=_("Idea to keep"), required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") == "decline" and not data.get("note", "").strip():
            self.add_error("note", _("Explain the decision in a note."))
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Choose the idea to keep."))
        return data


class IdeaLinkQuestionForm(forms.Form):
    question = forms.IntegerField(label=_("Question #"), min_value=1)
