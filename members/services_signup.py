"""What happens when someone joins, across apps. Called by the sign-up form."""

from django.http import HttpRequest

from .hooks import member_signed_up
from .models import Member
from .selectors import community_settings_get
from .services_club import (
    APPLICANT_SESSION_KEY,
    INVITATION_SESSION_KEY,
    membership_application_submit,
    membership_invitation_use,
)


def member_after_signup(
    *,
    request: HttpRequest,
    member: Member,
    display_name: str,
    answers: list[dict[str, str]] | None = None,
) -> None:
    fields = []
    if display_name:
        member.display_name = display_name
        fields.append("display_name")
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        member.preferred_language = language
        fields.append("preferred_language")
    if fields:
        member.save(update_fields=fields)
    if community_settings_get().private:
        # Private communities: the account exists but cannot log in until its application is
        # approved, unless staff invited this person (the link put its token in the session).
        token = (
            request.session.pop(INVITATION_SESSION_KEY, "") if hasattr(request, "session") else ""
        )
        if not (token and membership_invitation_use(token=token, member=member)):
            membership_application_submit(member=member, answers=answers or [])
            request.session[APPLICANT_SESSION_KEY] = member.pk
    # Moderation records the accepted rules; the ambassador program credits the referrer.
    member_signed_up.send(sender=Member, member=member, request=request)
