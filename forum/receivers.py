"""How Q&A plugs into the apps below it: moderation (content types and their publishing
callbacks), members (notification kinds, profile section), config (home section, counted
lists) and the site search. ``ForumConfig.ready`` calls ``connect`` once."""

from django.utils.translation import gettext_lazy as _

from config.home import HOME_SECTIONS
from config.pagination import track_counts_of
from members.notifications import register_kind, register_target_visibility
from members.profile import PROFILE_SECTIONS
from moderation.registry import register_content
from search.hooks import register_no_hits_extra
from search.sources import register_source

from .models import Answer, Comment, Question
from .permissions import questions as perms
from .selectors import search_sources
from .selectors.sections import home_section, profile_section
from .services.answers import answer_on_publish, answer_search_index_all
from .services.comments import comment_on_publish
from .services.faq import faq_entry_search_index_all
from .services.questions import question_on_publish, question_search_index_all


def connect() -> None:
    register_content(
        Comment,
        label=_("comment"),
        on_publish=comment_on_publish,
        visible_to=perms.comments_visible_to,
    )
    register_content(
        Question,
        label=_("question"),
        on_publish=question_on_publish,
        visible_to=perms.questions_visible_to,
    )
    register_content(
        Answer, label=_("answer"), on_publish=answer_on_publish, visible_to=perms.answers_visible_to
    )
    # Notifications quote the question's title: only while the member may see the post and
    # its question.
    register_target_visibility(Question, perms.questions_visible_to)
    register_target_visibility(
        Answer,
        lambda viewer: perms.answers_visible_to(viewer).filter(
            question__in=perms.questions_visible_to(viewer)
        ),
    )
    register_target_visibility(Comment, perms.comments_visible_to)

    register_kind(
        "answer_new",
        label=_("New answers to questions you follow"),
        message=_("%(actor)s answered “%(title)s”"),
    )
    register_kind(
        "comment_new",
        label=_("New comments on questions you follow"),
        message=_("%(actor)s commented on “%(title)s”"),
    )
    register_kind(
        "answer_accepted",
        label=_("Your answer was accepted"),
        message=_("%(actor)s accepted your answer to “%(title)s”"),
    )
    register_kind(
        "mention",
        label=_("Mentions of you"),
        message=_("%(actor)s mentioned you in “%(title)s”"),
    )
    register_kind(
        "accept_reminder",
        label=_("Reminders to accept an answer"),
        message=_("Your question “%(title)s” has answers. Did one solve it?"),
    )

    track_counts_of(Question)
    register_source(
        "question",
        label=_("Questions"),
        search=search_sources.question_search,
        rank=search_sources.question_rank,
        rebuild=question_search_index_all,
    )
    register_source(
        "answer",
        label=_("Answers"),
        search=search_sources.answer_search,
        rank=search_sources.answer_rank,
        rebuild=answer_search_index_all,
    )
    register_source(
        "faq",
        label=_("FAQ"),
        search=search_sources.faq_search,
        rank=search_sources.faq_rank,
        rebuild=faq_entry_search_index_all,
    )
    register_no_hits_extra("forum/_search_ask.html")
    if home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(home_section)
    if profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(profile_section)
