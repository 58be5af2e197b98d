"""Log-in with the product's account (single sign-on; the handshake itself: members/sso.py).

Members are found by the product's external id; an existing Veche account is linked only
through an e-mail address the product says it verified. Profile fields and mapped groups are
brought in line with the product at every log-in.
"""

import logging
import re
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Member, ProductAccount, SsoGroupMapping, SsoNonce
from .sso import SsoError, SsoIdentity, encode

logger = logging.getLogger("veche.sso")

USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def sso_enabled() -> bool:
    return bool(settings.VECHE_SSO_URL and settings.VECHE_SSO_SECRET)


def secret() -> str:
    return settings.VECHE_SSO_SECRET


def sso_request_create(*, return_url: str, next_url: str = "") -> tuple[str, str]:
    """A new single-use nonce and the product's address to send the visitor to, with it."""
    now = timezone.now()
    # Nonces nobody came back with: dropped a while after they stopped being usable.
    SsoNonce.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    nonce = secrets.token_urlsafe(32)
    SsoNonce.objects.create(nonce=nonce, created_at=now, next_url=next_url[:500])
    sso, sig = encode({"nonce": nonce, "return_sso_url": return_url}, settings.VECHE_SSO_SECRET)
    separator = "&" if "?" in settings.VECHE_SSO_URL else "?"
    return nonce, f"{settings.VECHE_SSO_URL}{separator}{urlencode({'sso': sso, 'sig': sig})}"


def sso_nonce_consume(*, nonce: str, expected: str | None) -> SsoNonce:
    """Use up ``nonce``: it must be unused, the one this browser was sent with, and fresh."""
    with transaction.atomic():
        row = SsoNonce.objects.select_for_update().filter(nonce=nonce).first()
        if row is None:
            raise SsoError("nonce-used-or-unknown")
        row.delete()
    if not expected or not secrets.compare_digest(nonce, expected):
        raise SsoError("nonce-not-this-browser")
    age = timezone.now() - row.created_at
    if age > timedelta(seconds=settings.VECHE_SSO_NONCE_SECONDS):
        raise SsoError("expired")
    return row


def _free_username(wanted: str, *, member: Member | None = None) -> str:
    base = USERNAME_UNSAFE.sub("", wanted.replace(" ", "_"))[:140] or "member"
    taken = Member.objects.filter(username__iexact=base)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    if not taken.exists():
        return base
    for _attempt in range(20):
        candidate = f"{base}{secrets.randbelow(100000)}"
        if not Member.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"{base}{secrets.token_hex(6)}"


def _email_taken(email: str, member: Member | None) -> bool:
    others = Member.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if member is not None:
        others, addresses = others.exclude(pk=member.pk), addresses.exclude(user=member)
    return others.exists() or addresses.exists()


def _member_for(identity: SsoIdentity) -> tuple[Member, ProductAccount]:
    account = (
        ProductAccount.objects.select_for_update()
        .select_related("member")
        .filter(external_id=identity.external_id)
        .first()
    )
    if account is not None:
        if account.member.is_deleted:
            raise SsoError("account-deleted")
        return account.member, account
    existing = (
        Member.objects.filter(
            Q(email__iexact=identity.email) | Q(emailaddress__email__iexact=identity.email)
        )
        .distinct()
        .first()
    )
    if existing is not None:
        # Never by an address the product did not verify: whoever typed it there could
        # otherwise take over the Veche account that owns it.
        if not identity.email_verified:
            raise SsoError("unverified-email-of-existing-member")
        if existing.is_deleted or ProductAccount.objects.filter(member=existing).exists():
            raise SsoError("member-linked-to-another-account")
        member = existing
    else:
        member = Member.objects.create_user(
            username=_free_username(identity.username or identity.email.split("@")[0]),
            email=identity.email,
            password=None,
            display_name=identity.name[:80],
        )
        EmailAddress.objects.create(
            user=member, email=identity.email, verified=identity.email_verified, primary=True
        )
    account = ProductAccount.objects.create(member=member, external_id=identity.external_id)
    return member, account


def _sync_profile(member: Member, identity: SsoIdentity) -> None:
    fields = []
    if identity.name and member.display_name != identity.name[:80]:
        member.display_name = identity.name[:80]
        fields.append("display_name")
    # The product's username is taken over when it is a valid one nobody else here has.
    wanted = identity.username[:150]
    if (
        wanted
        and wanted != member.username
        and not USERNAME_UNSAFE.search(wanted)
        and not Member.objects.filter(username__iexact=wanted).exclude(pk=member.pk).exists()
    ):
        member.username = wanted
        fields.append("username")
    if identity.email.lower() != member.email.lower() and not _email_taken(identity.email, member):
        member.email = identity.email
        fields.append("email")
        EmailAddress.objects.filter(user=member).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=member,
            email=identity.email,
            defaults={"verified": identity.email_verified, "primary": True},
        )
    elif identity.email_verified:
        EmailAddress.objects.filter(user=member, email__iexact=identity.email).update(verified=True)
    if fields:
        member.save(update_fields=fields)


def _sync_groups(member: Member, identity: SsoIdentity) -> None:
    mappings = list(SsoGroupMapping.objects.select_related("group"))
    if not mappings:
        return
    product_groups = set(identity.groups)
    joined = {m.group for m in mappings if m.group and m.product_group in product_groups}
    mapped = {m.group for m in mappings if m.group}
    current = set(member.groups.filter(pk__in=[g.pk for g in mapped]))
    if joined - current:
        member.groups.add(*(joined - current))
    left: set[Group] = (mapped - joined) & current
    if left:
        member.groups.remove(*left)
    # A badge is given, never taken away here: the ambassador program gives badges too.
    badges = [m.badge for m in mappings if m.badge and m.product_group in product_groups]
    if badges and member.badge != badges[0]:
        member.badge = badges[0]
        member.save(update_fields=["badge"])


def sso_member_sign_in(*, identity: SsoIdentity) -> Member:
    """The member the product vouches for: found by external id, linked by a verified
    e-mail address, or created; their profile and mapped groups brought in line."""
    with transaction.atomic():
        member, account = _member_for(identity)
        _sync_profile(member, identity)
        _sync_groups(member, identity)
        account.groups = list(identity.groups)
        account.avatar_url = identity.avatar_url[:500]
        account.last_login_at = timezone.now()
        account.save(update_fields=["groups", "avatar_url", "last_login_at"])
    return member
