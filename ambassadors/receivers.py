"""The ambassador program's answers to members' hooks (members.hooks)."""

from typing import Any

from django.http import HttpRequest

from members.hooks import member_contributed, member_sanctioned, member_signed_up
from members.models import Member

from . import services


def on_signed_up(sender: Any, *, member: Member, request: HttpRequest, **kwargs: Any) -> None:
    services.referral_attribute_signup(request=request, member=member)


def on_contributed(sender: Any, *, member: Member, **kwargs: Any) -> None:
    services.referral_on_contribution(member=member)


def on_sanctioned(sender: Any, *, member: Member, reason: str = "", **kwargs: Any) -> None:
    services.referral_clawback_for(member=member, actor=None, reason=reason)


def connect() -> None:
    member_signed_up.connect(on_signed_up, dispatch_uid="ambassadors.referral_attribute_signup")
    member_contributed.connect(on_contributed, dispatch_uid="ambassadors.referral_on_contribution")
    member_sanctioned.connect(on_sanctioned, dispatch_uid="ambassadors.referral_clawback_for")
