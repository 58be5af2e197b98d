from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members.models import Member

        from . import notifications, receivers

        receivers.connect()
        from .registry import register_content, register_queue

        notifications.register()
        hours = settings.VECHE_QUEUE_TARGET_HOURS
        register_queue(
            "approval",
            label=_("Awaiting approval"),
            target_age=timedelta(hours=hours.get("approval", 12)),
            order=10,
        )
        register_queue(
            "flagged",
            label=_("Flagged"),
            target_age=timedelta(hours=hours.get("flagged", 24)),
            order=20,
        )
        register_queue(
            "appeals",
            label=_("Appeals"),
            target_age=timedelta(hours=hours.get("appeals", 72)),
            order=90,
        )
        # Profiles can be flagged: the member is their own author.
        register_content(Member, label=_("profile"), author_field=None, excerpt=lambda m: m.name)
        from members.profile import PROFILE_SECTIONS

        from .profile import profile_section

        if profile_section not in PROFILE_SECTIONS:
            PROFILE_SECTIONS.append(profile_section)
