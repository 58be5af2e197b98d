"""What happens when someone joins, across apps. Called by the sign-up form."""

from django.http import HttpRequest

from .models import Member
from .selectors import community_settings_get


def member_after_signup(*, request: HttpRequest, member: Member, display_name: str) -> None:
    from ambassadors.services import referral_attribute_signup
    from moderation.services import rules_accept_on_signup

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
    rules_accept_on_signup(member=member)
    referral_attribute_signup(request=request, member=member)
