"""What private messages plug into at start-up: the moderation registry (messages can be
flagged), the notification kind, the profile block, personal data and cache scopes.
Connected once from ``ConversationsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from config.cache import model_scopes, nothing
from config.markdown import plain_text
from members import personal_data
from members.notifications import register_kind, register_target_visibility
from members.profile import PROFILE_SECTIONS
from moderation.registry import register_content

from . import permissions, privacy
from .models import Block, Conversation, Message, MessageSettings, Participant
from .profile import profile_section
from .services import NOTIFICATION_KIND


def _excerpt(message: Message) -> str:
    return plain_text(message.body, 200)


def connect() -> None:
    # Private messages show on no shared (cached) page.
    for model in (Conversation, Participant, Message, Block, MessageSettings):
        model_scopes(model, nothing)
    register_content(
        Message,
        label=_("private message"),
        excerpt=_excerpt,
        visible_to=permissions.messages_visible_to,
        counts_as_post=False,  # no way round a new member's first posts held for review
    )
    register_kind(
        NOTIFICATION_KIND,
        label=_("Private messages to you"),
        message=_("%(actor)s wrote to you: %(title)s"),
        email_default=True,
        group="community",
    )
    # A notification names the conversation's subject: only its participants keep it.
    register_target_visibility(Conversation, permissions.conversations_of)
    personal_data.register(
        "conversations.conversations",
        _("Private conversations you take part in"),
        export=privacy.export_conversations,
        erase=privacy.erase,
    )
    personal_data.register(
        "conversations.messages", _("Private messages you wrote"), export=privacy.export_messages
    )
    personal_data.register(
        "conversations.blocks", _("Members you blocked"), export=privacy.export_blocks
    )
    if profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(profile_section)
