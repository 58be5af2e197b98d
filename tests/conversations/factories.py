from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.markdown import render_markdown
from conversations.models import Conversation, Message, Participant


def conversation_between(*members, subject="Hello there", body="First message") -> Conversation:
    """A conversation started by ``members[0]`` with the others, with one message, written
    straight to the tables (no permission checks, no notification)."""
    now = timezone.now()
    conversation = Conversation.objects.create(
        subject=subject, created_by=members[0], created_at=now, last_message_at=now
    )
    for i, member in enumerate(members):
        Participant.objects.create(
            conversation=conversation,
            member=member,
            joined_at=now,
            last_read_at=now if i == 0 else None,
        )
    add_message(conversation, members[0], body, now=now)
    return conversation


def add_message(conversation, author, body="Another message", now=None) -> Message:
    now = now or timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    return Message.objects.create(
        conversation=conversation,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )


def flag_url(obj) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return f"/moderation/flag/{ct.pk}/{obj.pk}/"
