"""The profile page block: "Send a message" and "Block" links for signed-in visitors of
someone else's profile. No query: the block page says whether the member is blocked."""

from django.http import HttpRequest

from members.models import Member


def profile_section(request: HttpRequest, member: Member) -> dict:
    return {"template": "conversations/_profile_section.html", "target": member}
