"""What happens when someone joins, across apps. Called by the sign-up form."""

from django.http import HttpRequest

from .hooks import member_signed_up
from .models import Member
from .selectors import community_settings_get


def member_after_signup(*, request: HttpRequest, member: Member, display_name: str) -> None:
    fields = []
    if display_name:
        member.display_name = display_name
        fields.append("display_name")
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        member.preferred_language = language
        fields.append("preferred_language")
    if community_settings_get().private:
        # Private communities: the account exists but cannot log in until staff approve it.
        member.is_active = False
        fields.append("is_active")
    if fields:
        member.save(update_fields=fields)
    # Moderation records the accepted rules; the ambassador program credits the referrer.
    member_signed_up.send(sender=Member, member=member, request=request)
