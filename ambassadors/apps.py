from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from members.notifications import register_kind
        from moderation.registry import register_queue

        from . import receivers, services

        receivers.connect()

        register_kind(
            "referral_qualified",
            label=_("A member you invited made their first contribution"),
            message=_(
                "%(name)s, whom you invited, made their first contribution: the referral now counts"
            ),
        )
        register_kind(
            "referral_tier_advocate",
            label=_("You reached a referral tier"),
            message=_("You reached %(count)s qualified referrals and are now an Advocate"),
        )
        register_kind(
            "referral_tier_ambassador",
            label=_("You can apply to become an ambassador"),
            message=_(
                "You reached %(count)s qualified referrals: you can now apply to become "
                "an Ambassador"
            ),
        )
        register_kind(
            "ambassador_approved",
            label=_("Decisions on your ambassador application"),
            message=_("Welcome, Ambassador! Your application was approved. %(message)s"),
        )
        register_kind(
            "ambassador_rejected",
            label=_("Decisions on your ambassador application"),
            message=_("Your ambassador application was not approved this time. %(message)s"),
        )
        register_kind(
            "ambassador_warning",
            label=_("Ambassador status reviews"),
            message=_(
                "Ambassador review: you need at least %(count)s qualified referrals a "
                "month to keep the status. Otherwise it ends after the next review."
            ),
        )
        register_kind(
            "ambassador_lost",
            label=_("Ambassador status ended"),
            message=_("Your ambassador status ended. %(message)s"),
        )
        register_queue(
            services.SUSPICIOUS_QUEUE,
            label=_("Suspicious referrals"),
            target_age=timedelta(days=3),
            on_approve=services.suspicious_referral_approve,
            on_reject=services.suspicious_referral_reject,
            order=70,
        )
        register_queue(
            services.APPLICATIONS_QUEUE,
            label=_("Ambassador applications"),
            target_age=timedelta(days=7),
            on_approve=services.ambassador_application_approve,
            on_reject=services.ambassador_application_reject,
            order=80,
        )
