"""The signed attribution cookie: who referred this visitor, through which invitation, when.

The issue time is inside the signed value, so the attribution window is enforced on the server
(``VECHE_REFERRAL_WINDOW_DAYS``) whatever the browser does with the cookie's max-age.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

COOKIE_NAME = "veche_ref"
COOKIE_SALT = "veche.referral"


@dataclass(frozen=True)
class Attribution:
    referrer_id: int
    invitation_id: int | None
    issued_at: datetime

    def within_window(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        window = timedelta(days=settings.VECHE_REFERRAL_WINDOW_DAYS)
        return self.issued_at <= now <= self.issued_at + window


def attribution_cookie_set(
    response: HttpResponse, *, referrer_id: int, invitation_id: int | None = None
) -> None:
    issued = int(timezone.now().timestamp())
    value = f"{referrer_id}:{invitation_id or ''}:{issued}"
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=settings.VECHE_REFERRAL_WINDOW_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def attribution_read(request: HttpRequest) -> Attribution | None:
    raw = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    if not raw:
        return None
    try:
        referrer, invitation, issued = raw.split(":")
        return Attribution(
            referrer_id=int(referrer),
            invitation_id=int(invitation) if invitation else None,
            issued_at=datetime.fromtimestamp(int(issued), tz=UTC),
        )
    except (ValueError, OverflowError):
        return None
