"""Suggestions on the ask form (deflection): which visits showed them, which suggestion
was opened, and whether the member asked after all. Staff read the share of asks
deflected on the analytics dashboard."""

import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from members.models import Member

from ..models import AskVisit, Question

TOKEN_LENGTH = 32


def ask_visit_token() -> str:
    """A fresh token for one visit to the ask form (nothing is stored until suggestions
    show)."""
    return secrets.token_hex(TOKEN_LENGTH // 2)


def ask_visit_token_valid(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(c in "0123456789abcdef" for c in token)


def ask_visit_suggestions_shown(*, member: Member | AnonymousUser, token: str) -> None:
    """Suggestions were shown on the member's visit ``token``: recorded the first time,
    counted after. A token of another member's visit changes nothing."""
    if not member.is_authenticated or not ask_visit_token_valid(token):
        return
    updated = AskVisit.objects.filter(token=token, member=member).update(
        times_shown=F("times_shown") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            AskVisit.objects.create(token=token, member=member)
    except IntegrityError:  # the same token twice at once, or another member's
        pass


def ask_visit_suggestion_opened(*, member: Member | AnonymousUser, token: str) -> None:
    if not member.is_authenticated or not ask_visit_token_valid(token):
        return
    now = timezone.now()
    visits = AskVisit.objects.filter(token=token, member=member)
    visits.filter(opened_at__isnull=True).update(opened_at=now)
    visits.update(times_opened=F("times_opened") + 1)


def ask_visit_posted(*, member: Member, token: str, question: Question) -> None:
    """The member asked on this visit (a visit without suggestions has no row: nothing)."""
    if not ask_visit_token_valid(token):
        return
    AskVisit.objects.filter(token=token, member=member, posted_at__isnull=True).update(
        posted_at=timezone.now(), question=question
    )
