"""Moderation's answers to members' hooks (members.hooks)."""

from typing import Any

from members.hooks import member_signed_up
from members.models import Member

from . import services


def on_signed_up(sender: Any, *, member: Member, **kwargs: Any) -> None:
    services.rules_accept_on_signup(member=member)


def connect() -> None:
    member_signed_up.connect(on_signed_up, dispatch_uid="moderation.rules_accept_on_signup")
