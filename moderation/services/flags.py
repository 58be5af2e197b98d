"""Members flag content; enough weight hides it until a moderator decides."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Model, Q, Sum, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from members.models import Member
from members.selectors import community_settings_get
from members.services import notification_send

from ..content import ModerationState
from ..hooks import flag_created
from ..models import Flag, QueueItem, Rule
from ..notifications import appeal_url
from ..permissions import check_can_flag
from ..registry import content_for
from .audit import audit_log_write
from .content import content_label, content_set_state, content_title
from .queues import queue_item_add

FLAGGED_QUEUE = "flagged"


def flag_accuracy_factor(flagger: Member) -> float:
    """0.5 … 1.5: a flagger whose flags were mostly upheld weighs more, one whose flags were
    mostly dismissed weighs less; no history gives 1."""
    counts = Flag.objects.filter(flagger=flagger).aggregate(
        upheld=Count("id", filter=Q(outcome=Flag.Outcome.UPHELD)),
        dismissed=Count("id", filter=Q(outcome=Flag.Outcome.DISMISSED)),
    )
    upheld, dismissed = counts["upheld"], counts["dismissed"]
    return 0.5 + (upheld + 1) / (upheld + dismissed + 2)


def flag_weight(flagger: Member) -> float:
    if flagger.is_moderator:
        return settings.VECHE_FLAG_HIDE_THRESHOLD
    # Staff set the weight of each trust level on the community settings page.
    base = community_settings_get().flag_weight_for(flagger.trust_level)
    return round(base * flag_accuracy_factor(flagger), 3)


def flag_create(*, flagger: Member, target: Model, rule: Rule, note: str = "") -> Flag:
    """Flag ``target`` citing ``rule``. Once the open flags on it weigh
    ``VECHE_FLAG_HIDE_THRESHOLD`` it is hidden until a moderator reviews it."""
    entry = content_for(target)
    if entry is None or not entry.is_visible_to(flagger, target):
        raise ValidationError(_("This cannot be flagged."))
    author_id = entry.author_id(target)
    check_can_flag(flagger, author_id=author_id)
    weight = flag_weight(flagger)
    target_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    flagger=flagger,
                    target_type=target_type,
                    target_id=target.pk,
                    member_id=author_id,
                    rule=rule,
                    note=note,
                    weight=weight,
                )
        except IntegrityError:
            if Flag.objects.filter(
                flagger=flagger, target_type=target_type, target_id=target.pk
            ).exists():
                raise ValidationError(_("You have already flagged this.")) from None
            raise
        line = _("%(rule)s (by %(flagger)s)%(note)s") % {
            "rule": rule.citation,
            "flagger": flagger.name,
            "note": f": {note}" if note else "",
        }
        item = queue_item_add(queue=FLAGGED_QUEUE, target=target, member_id=author_id, reason=line)
        if item.reason != line:
            QueueItem.objects.filter(pk=item.pk).update(
                reason=Concat(F("reason"), Value("\n" + line))
            )
        # Flags of new members (trust level 0, e.g. accounts made minutes ago) bring the item
        # to the moderators but never hide it on their own; a moderator's flag always does.
        total = (
            Flag.objects.filter(
                Q(flagger__trust_level__gte=Member.TrustLevel.BASIC)
                | Q(weight__gte=settings.VECHE_FLAG_HIDE_THRESHOLD),
                target_type=target_type,
                target_id=target.pk,
                outcome=Flag.Outcome.OPEN,
            ).aggregate(total=Sum("weight"))["total"]
            or 0
        )
        if (
            total >= settings.VECHE_FLAG_HIDE_THRESHOLD
            and getattr(target, "moderation_state", None) == ModerationState.PUBLISHED
        ):
            content_set_state(target, ModerationState.HIDDEN)
            QueueItem.objects.filter(pk=item.pk).update(priority=F("priority") + 5)
            author = entry.author(target)
            decision = audit_log_write(
                actor=None,
                action="auto_hide",
                target=target,
                member=author,
                rule=rule,
                reason=_("Hidden by flags pending review."),
                data={"flag_weight": round(total, 3)},
            )
            if author is not None:
                notification_send(
                    recipients=[author],
                    kind="moderation_hidden",
                    params={
                        "what": content_label(target),
                        "title": content_title(target),
                        "rule": rule.citation,
                        "message": _("Members flagged it; a moderator will review it."),
                    },
                    url=appeal_url(decision),
                    target=target,
                )
        flag_created.send(sender=Flag, flag=flag)
    return flag
