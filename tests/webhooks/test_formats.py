"""Ready-made chat messages: Slack and Mattermost incoming webhooks, a Telegram bot."""

import json

import pytest

from webhooks import formats
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

OVERDUE = {
    "id": "e1",
    "event": "queue_item.overdue",
    "created_at": "2026-12-02T05:00:00+00:00",
    "data": {
        "queue_item": {
            "id": 7,
            "queue": "flagged",
            "queue_label": "Flagged",
            "reason": "Rule 2",
            "target_age_hours": 24.0,
            "inbox_url": "https://c.example.com/moderation/?queue=flagged",
        },
        "target": {
            "type": "question",
            "id": 3,
            "title": "Billing <urgent> & refunds",
            "url": "https://c.example.com/questions/3-billing/",
        },
    },
}
QUESTION = {
    "id": "e2",
    "event": "question.created",
    "created_at": "2026-12-02T05:00:00+00:00",
    "data": {
        "question": {
            "id": 3,
            "title": "How do I [export] *data*?",
            "url": "https://c.example.com/questions/3-export/",
            "author": {"id": 1, "name": "Ann"},
        }
    },
}


def _body(format, envelope, chat_id=""):
    return json.loads(formats.body(Endpoint(format=format, chat_id=chat_id), envelope))


def test_slack_gets_a_linked_line_with_its_escaping():
    text = _body(Endpoint.Format.SLACK, OVERDUE)["text"]
    assert text == (
        "<https://c.example.com/questions/3-billing/|Waiting more than 24 h in "
        '"Flagged": Billing &lt;urgent&gt; &amp; refunds>'
    )


def test_mattermost_gets_a_markdown_link():
    message = _body(Endpoint.Format.MATTERMOST, QUESTION)
    assert message["text"] == (
        "[New question from Ann: How do I \\[export\\] \\*data\\*?]"
        "(https://c.example.com/questions/3-export/)"
    )


def test_telegram_gets_its_chat_and_plain_text():
    message = _body(Endpoint.Format.TELEGRAM, OVERDUE, chat_id="@support")
    assert message == {
        "chat_id": "@support",
        "text": 'Waiting more than 24 h in "Flagged": Billing <urgent> & refunds\n'
        "https://c.example.com/questions/3-billing/",
        "disable_web_page_preview": True,
    }


def test_the_json_format_is_the_envelope_itself():
    assert _body(Endpoint.Format.JSON, QUESTION) == QUESTION


def test_chat_messages_follow_the_site_language(settings):
    settings.LANGUAGE_CODE = "ru"
    text = _body(Endpoint.Format.SLACK, QUESTION)["text"]
    assert "Ann" in text and "New question" not in text
