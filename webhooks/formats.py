"""What is sent to each kind of endpoint: the signed JSON envelope, or a ready-made message
for a chat (Slack and Mattermost incoming webhooks, a Telegram bot's sendMessage).

The chat message's sentence is a template (``webhooks/chat/summary.txt``, translated in the
site's language); each chat gets it with a link in its own syntax."""

import json
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ideas.models import IdeaStatus

from .models import Endpoint

Envelope = dict[str, Any]


def summary(envelope: Envelope) -> tuple[str, str]:
    """The one-line message for a chat, and the link it points to."""
    data = envelope["data"]
    statuses = dict(IdeaStatus.choices)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": envelope["event"],
            "data": data,
            "from_label": statuses.get(data.get("from_status", ""), ""),
            "to_label": statuses.get(data.get("to_status", ""), ""),
        }
        rendered = render_to_string("webhooks/chat/summary.txt", context)
    return " ".join(rendered.split()), _link(envelope["event"], data)


def _link(event: str, data: dict[str, Any]) -> str:
    for key in ("answer", "question", "idea", "target", "member", "referred"):
        if isinstance(data.get(key), dict) and data[key].get("url"):
            return str(data[key]["url"])
    if event == "queue_item.overdue":
        return str(data["queue_item"]["inbox_url"])
    return ""


def _slack_escape(text: str) -> str:
    # Slack's own escaping: only these three characters are control characters in its text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_escape(text: str) -> str:
    for char in "\\[]()*_`~":
        text = text.replace(char, "\\" + char)
    return text


def body(endpoint: Endpoint, envelope: Envelope) -> str:
    """The request body for ``endpoint``: exactly what is signed and sent."""
    if endpoint.format == Endpoint.Format.JSON:
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    text, link = summary(envelope)
    message: dict[str, Any]
    if endpoint.format == Endpoint.Format.SLACK:
        message = {"text": f"<{link}|{_slack_escape(text)}>" if link else _slack_escape(text)}
    elif endpoint.format == Endpoint.Format.MATTERMOST:
        message = {"text": f"[{_markdown_escape(text)}]({link})" if link else text}
    else:
        message = {
            "chat_id": endpoint.chat_id,
            "text": f"{text}\n{link}" if link else text,
            "disable_web_page_preview": True,
        }
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
