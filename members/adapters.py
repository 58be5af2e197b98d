from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        return settings.DEFAULT_FROM_EMAIL

    def pre_login(self, request, user, **kwargs):
        """allauth logs a member in even when the backend's ``user_can_authenticate`` refused
        (it only stops inactive accounts), so suspended and banned members are stopped here."""
        if getattr(user, "is_suspended", False) or getattr(user, "is_banned", False):
            from allauth.account.internal.stagekit import clear_login
            from django.shortcuts import render
            from django.utils import formats, timezone
            from django.utils.translation import gettext as _

            clear_login(request)
            if user.is_banned:
                reason = _("Your account is banned.")
            else:
                reason = _("Your account is suspended until %(until)s.") % {
                    "until": formats.date_format(
                        timezone.localtime(user.suspended_until), "DATETIME_FORMAT"
                    )
                }
            return render(request, "403.html", {"reason": reason}, status=403)
        return super().pre_login(request, user, **kwargs)
