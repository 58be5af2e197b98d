"""The profile page block: flag a profile, and for moderators a link to the member's
moderation history. No query (the flag form uses the cached rules, only for signed-in
viewers)."""

from django.http import HttpRequest

from members.models import Member


def profile_section(request: HttpRequest, member: Member) -> dict:
    return {"template": "moderation/_profile_section.html", "target": member}
