"""What a piece of content must have to be moderated (the contract for every content app).

A moderatable model (question, answer, comment, idea, …) inherits ``ModeratedContent`` and
registers itself in ``moderation.registry`` with a label and an ``on_publish`` callback. The
moderation app then flags, holds, hides and restores it through ``moderation_state`` and the
generic ``QueueItem`` rows, without knowing the model's internals.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.cache import TouchingQuerySet
from config.db import QuickLoad


class ModerationState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Awaiting approval")
    HIDDEN = "hidden", _("Hidden")
    REJECTED = "rejected", _("Rejected")


class ModeratedContent(QuickLoad, models.Model):
    moderation_state = models.CharField(
        _("moderation state"),
        max_length=12,
        choices=ModerationState.choices,
        default=ModerationState.PUBLISHED,
        db_index=True,
    )

    objects = TouchingQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED
