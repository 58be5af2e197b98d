"""Versioned documents (rules, moderation policy, ambassador terms) and their acceptance."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from config.cache import remember, touch
from config.markdown import render_markdown
from members.models import Member

from ..models import Document, DocumentVersion, Rule, RulesAcceptance
from ..permissions import check_can_edit_documents
from .audit import audit_log_write

RULES_STATE_KEY = "moderation:rules-state"
RULE_CHOICES_KEY = "moderation:rule-choices"
RULES_SCOPE = "rules"


def rules_state() -> dict:
    """The current rules version and the newest one members must have accepted, cached
    (invalidated when a version is published)."""
    return remember(RULES_STATE_KEY, (RULES_SCOPE,), _rules_state_read, 600)


def _rules_state_read() -> dict:
    versions = list(
        DocumentVersion.objects.filter(document__slug=Document.RULES)
        .order_by("-number")
        .values("id", "number", "requires_reacceptance")
    )
    current = versions[0] if versions else None
    required = next((v for v in versions if v["requires_reacceptance"]), None)
    return {
        "current_id": current["id"] if current else None,
        "current_number": current["number"] if current else None,
        "required_number": required["number"] if required else None,
    }


def rules_cache_clear() -> None:
    """A rules version was published (call it in its transaction): the state and the rule
    choices, both kept under the ``rules`` scope, are stale now and again when it commits, so
    no request that read the old versions meanwhile keeps them (``config.cache.remember``)."""
    touch(RULES_SCOPE)


def rules_reacceptance_needed(member: Member) -> bool:
    """True when the newest version requiring re-acceptance is newer than anything the
    member accepted."""
    required = rules_state()["required_number"]
    if required is None:
        return False
    return not RulesAcceptance.objects.filter(
        member=member, version__document__slug=Document.RULES, version__number__gte=required
    ).exists()


def rules_accept(
    *, member: Member, version: DocumentVersion | None = None
) -> RulesAcceptance | None:
    """Record that ``member`` accepted ``version`` (default: the current rules)."""
    if version is None:
        current_id = rules_state()["current_id"]
        if current_id is None:
            return None
        version = DocumentVersion.objects.get(pk=current_id)
    acceptance, _ = RulesAcceptance.objects.get_or_create(
        member=member, version=version, defaults={"accepted_at": timezone.now()}
    )
    return acceptance


def rules_accept_on_signup(*, member: Member) -> None:
    rules_accept(member=member)


def document_version_publish(
    *,
    actor: Member,
    document: Document,
    change_summary: str,
    body: str = "",
    rules: list[tuple[str, str]],
    requires_reacceptance: bool = False,
) -> DocumentVersion:
    """Publish the next version of ``document`` with ``rules`` as ``(title, explanation)``
    pairs, numbered in order."""
    check_can_edit_documents(actor)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        last = document.versions.aggregate(n=Max("number"))["n"] or 0
        version = DocumentVersion.objects.create(
            document=document,
            number=last + 1,
            change_summary=change_summary,
            body=body,
            body_html=render_markdown(body),
            requires_reacceptance=requires_reacceptance,
            published_at=timezone.now(),
            published_by=actor,
        )
        Rule.objects.bulk_create(
            [
                Rule(
                    version=version,
                    number=i,
                    title=title,
                    explanation=explanation,
                    explanation_html=render_markdown(explanation),
                )
                for i, (title, explanation) in enumerate(rules, start=1)
            ]
        )
        audit_log_write(
            actor=actor,
            action="document_publish",
            target=version,
            reason=change_summary,
            data={
                "document": document.slug,
                "number": version.number,
                "requires_reacceptance": requires_reacceptance,
            },
        )
        if document.slug == Document.RULES:
            rules_cache_clear()
            # The publisher has obviously read the version they wrote.
            RulesAcceptance.objects.create(member=actor, version=version)
    return version
