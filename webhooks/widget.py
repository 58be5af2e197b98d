"""The help-centre widget: the sites allowed to embed it and what it shows.

A help centre adds one ``<script>`` tag (``static/webhooks/embed.js``) that puts an iframe of
``/embed/widget/`` on its page. That page is the only one of the site that may be framed, and
only by the origins staff listed (``Content-Security-Policy: frame-ancestors``); it renders
the same for everyone, as for a visitor, and sets no cookie (docs/webhooks.md, "Widget").
"""

from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from config.cache import remember
from forum.models import Question, Tag
from forum.selectors.questions import question_list_for
from members.models import Member

from .models import EmbedOrigin
from .permissions import check_can_manage_webhooks

ORIGINS_SCOPE = "embed-origins"
ORIGINS_KEY = "veche:embed-origins"
TOP_QUESTIONS = 5


def origin_normalize(value: str) -> str:
    """``https://Help.Example.com/`` → ``https://help.example.com``; raises ValidationError."""
    parts = urlsplit(value.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"origin": _("Give an address such as https://help.example.com.")})
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValidationError({"origin": _("Give only the scheme and host, without a path.")})
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def embed_origin_add(*, actor: Member, origin: str) -> EmbedOrigin:
    check_can_manage_webhooks(actor)
    value = origin_normalize(origin)
    if EmbedOrigin.objects.filter(origin=value).exists():
        raise ValidationError({"origin": _("This origin is already allowed.")})
    return EmbedOrigin.objects.create(origin=value, added_by=actor)


def embed_origin_remove(*, actor: Member, origin: EmbedOrigin) -> None:
    check_can_manage_webhooks(actor)
    origin.delete()


def embed_origin_list() -> QuerySet[EmbedOrigin]:
    return EmbedOrigin.objects.select_related("added_by").order_by("origin")


def embed_origin_get(pk: int) -> EmbedOrigin | None:
    return EmbedOrigin.objects.filter(pk=pk).first()


def embed_origins_allowed() -> list[str]:
    """The origins in the widget's ``frame-ancestors`` (read on every widget page)."""

    def load() -> list[str]:
        return list(EmbedOrigin.objects.order_by("origin").values_list("origin", flat=True))

    return remember(ORIGINS_KEY, [ORIGINS_SCOPE], load, 600)


def widget_top_questions(topic: str) -> list[Question]:
    """The best solved questions of a topic (a tag's slug; all topics when empty or unknown),
    as a visitor sees them: the site's one visibility rule, for nobody in particular."""
    questions = (
        question_list_for(AnonymousUser()).prefetch_related(None).filter(solved_at__isnull=False)
    )
    tag = Tag.objects.filter(slug=topic).first() if topic else None
    if tag is not None:
        questions = questions.filter(tags=tag)
    return list(questions.order_by("-score", "-solved_at", "-id")[:TOP_QUESTIONS])
