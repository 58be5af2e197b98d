from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        return settings.DEFAULT_FROM_EMAIL

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """allauth logs a member in even when the backend's ``user_can_authenticate`` refused
        (it only stops inactive accounts), so suspended and banned members are stopped here."""
        if getattr(user, "is_suspended", False) or getattr(user, "is_banned", False):
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
