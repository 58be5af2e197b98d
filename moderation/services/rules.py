"""Versioned documents (rules, moderation policy, ambassador terms) and their acceptance."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from config.cache import remember, touch
from config.markdown import render_markdown
from config.translation import content_language
from members.models import Member

from ..models import Document, DocumentVersion, Rule, RulesAcceptance
from ..permissions import check_can_edit_documents
from .audit import audit_log_write

RULES_STATE_KEY = "moderation:rules-state"
# Rule choices hold titles, so they are kept per language (``rule_choices_key``).
RULE_CHOICES_KEY = "moderation:rule-choices"
RULES_SCOPE = "rules"
RULES_STATE_ENTRY = (RULES_STATE_KEY, (RULES_SCOPE,))


def rules_state() -> dict:
    """The current rules version and the newest one members must have accepted, cached
    (invalidated when a version is published)."""
    return remember(*RULES_STATE_ENTRY, _rules_state_read, 600)


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


def rule_choices_key() -> str:
    """The cache key of the rule choices in the active language."""
    return f"{RULE_CHOICES_KEY}:{content_language()}"


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
    rules: list[tuple[str, ...]],
    requires_reacceptance: bool = False,
    change_summary_ru: str = "",
    body_ru: str = "",
) -> DocumentVersion:
    """Publish the next version of ``document`` with ``rules`` as ``(title, explanation)``
    pairs or ``(title, explanation, title_ru, explanation_ru)``, numbered in order. Each
    Markdown text is rendered in both languages (an empty Russian one stays empty, so its
    readers see the English)."""
    check_can_edit_documents(actor)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        last = document.versions.aggregate(n=Max("number"))["n"] or 0
        version = DocumentVersion.objects.create(
            document=document,
            number=last + 1,
            change_summary=change_summary,
            change_summary_ru=change_summary_ru,
            **_markdown("body", body, body_ru),
            requires_reacceptance=requires_reacceptance,
            published_at=timezone.now(),
            published_by=actor,
        )
        Rule.objects.bulk_create(
            [rule_build(version, number, *texts) for number, texts in enumerate(rules, start=1)]
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


def rule_build(
    version: DocumentVersion,
    number: int,
    title: str,
    explanation: str,
    title_ru: str = "",
    explanation_ru: str = "",
) -> Rule:
    """An unsaved rule of ``version`` with its explanations rendered in both languages."""
    return Rule(
        version=version,
        number=number,
        title=title,
        title_ru=title_ru,
        **_markdown("explanation", explanation, explanation_ru),
    )


def _markdown(name: str, text: str, text_ru: str) -> dict[str, str]:
    """A Markdown field in both languages with its rendered ``_html`` caches."""
    return {
        name: text,
        f"{name}_html": render_markdown(text),
        f"{name}_ru": text_ru,
        f"{name}_html_ru": render_markdown(text_ru),
    }
