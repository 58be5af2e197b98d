"""Fraud signals: hashed visitor/address fingerprints and e-mail look-alikes.

No raw IP address is ever stored: only keyed hashes (HMAC with the secret key), which cannot be
reversed and change meaning when the key rotates.

E-mail normalization (to tell "the same person's second account"): the address is lowercased,
a ``+tag`` in the local part is dropped for every domain, and for Gmail-like domains
(gmail.com, googlemail.com, treated as one) dots in the local part are ignored as well.
"""

import re

from django.db.models import Q
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from members.models import Member

GMAIL_LIKE = ("gmail.com", "googlemail.com")


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it
    # (SECURE_PROXY_SSL_HEADER setups put the real address in REMOTE_ADDR via the proxy).
    return request.META.get("REMOTE_ADDR", "") or ""


def ip_hash(request: HttpRequest) -> str:
    return salted_hmac("veche.referral.ip", client_ip(request), algorithm="sha256").hexdigest()


def visitor_hash(request: HttpRequest) -> str:
    """One visitor per address: the User-Agent is the visitor's to choose, so counting it let
    one machine make any number of "visitors". People behind one address count once, which
    only under-counts clicks (clicks earn nothing; qualified referrals do)."""
    return salted_hmac("veche.referral.visitor", client_ip(request), algorithm="sha256").hexdigest()


def email_normalize(email: str) -> str:
    email = (email or "").strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep:
        return email
    local = local.split("+", 1)[0]
    if domain in GMAIL_LIKE:
        local = local.replace(".", "")
        domain = GMAIL_LIKE[0]
    return f"{local}@{domain}"


def emails_look_alike(a: str, b: str) -> bool:
    return bool(a and b) and email_normalize(a) == email_normalize(b)


def email_lookalike_regex(email: str) -> str:
    """A case-insensitive regular expression matching every address that normalizes to the
    same key as ``email`` (works with PostgreSQL and SQLite ``iregex``)."""
    key = email_normalize(email)
    local, _, domain = key.rpartition("@")
    tag = r"(\+[^@]*)?"
    if domain == GMAIL_LIKE[0]:
        body = r"\.*".join(re.escape(ch) for ch in local)
        domains = "|".join(re.escape(d) for d in GMAIL_LIKE)
        return rf"^\.*{body}\.*{tag}@({domains})$"
    return rf"^{re.escape(local)}{tag}@{re.escape(domain)}$"


def email_used_by_another_account(*, member: Member, email: str) -> bool:
    """Whether another account has ``email`` or a look-alike of it (primary or secondary)."""
    if not email or "@" not in email:
        return False
    pattern = email_lookalike_regex(email)
    return (
        Member.objects.exclude(pk=member.pk)
        .filter(Q(email__iregex=pattern) | Q(emailaddress__email__iregex=pattern))
        .exists()
    )
