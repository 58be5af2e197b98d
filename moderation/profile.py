"""The profile page block: flag a profile, and for moderators a link to the member's
moderation history. No query (the flag form uses the cached rules, only for signed-in
viewers)."""


def profile_section(request, member) -> dict:
    return {"template": "moderation/_profile_section.html", "target": member}
