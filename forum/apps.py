from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from config.home import HOME_SECTIONS
        from members.notifications import register_kind
        from members.profile import PROFILE_SECTIONS
        from moderation.registry import register_content

        from .models import Answer, Comment, Question
        from .selectors.questions import home_section, profile_section, register_search_sources
        from .services.questions import answer_on_publish, comment_on_publish, question_on_publish

        register_content(Comment, label=_("comment"), on_publish=comment_on_publish)
        register_content(Question, label=_("question"), on_publish=question_on_publish)
        register_content(Answer, label=_("answer"), on_publish=answer_on_publish)

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

        from config.pagination import track_counts_of

        track_counts_of(Question)
        register_search_sources()
        if home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_section)
        if profile_section not in PROFILE_SECTIONS:
            PROFILE_SECTIONS.append(profile_section)

        _ready_ideas()


def _ready_ideas() -> None:
    """The idea board plugs into moderation, notifications, home and profile pages."""
    from datetime import timedelta

    from config.home import HOME_SECTIONS
    from members.notifications import register_kind
    from members.profile import PROFILE_SECTIONS
    from moderation.registry import register_content, register_queue

    from . import (
        admin_ideas,  # noqa: F401 - registers the admin pages
        feeds_ideas,
        review_ideas,
        search,
        sections_ideas,
        selectors_ideas,
        services_ideas,
        tasks_ideas,  # noqa: F401 - registers the worker's tasks
    )
    from .models import Comment, Idea
    from .sitemaps import SITEMAPS

    register_content(Idea, label=_("idea"), on_publish=services_ideas.idea_on_publish)
    # Comments are shared: after the Q&A handling, a comment on an idea is counted and
    # announced to the idea's followers.
    register_content(
        Comment, label=_("comment"), on_publish=services_ideas.comment_on_publish_with_ideas
    )
    search.register_source(
        "idea", label=_("Ideas"), search=selectors_ideas.idea_search, rank=selectors_ideas.idea_rank
    )
    SITEMAPS.update(ideas=feeds_ideas.IdeaSitemap, idea_pages=feeds_ideas.IdeaPagesSitemap)
    register_queue(
        services_ideas.REVIEW_QUEUE,
        label=_("New ideas"),
        target_age=timedelta(days=3),
        on_approve=review_ideas.queue_approve,
        on_reject=review_ideas.queue_reject,
        order=30,
    )
    register_kind(
        "idea_status_changed",
        label=_("Status changes of ideas I voted for or follow"),
        message=_("“%(title)s” is now %(status)s"),
    )
    register_kind(
        "idea_shipped",
        label=_("Ideas I care about have shipped"),
        message=_("Shipped: “%(title)s”"),
    )
    register_kind(
        "idea_merged",
        label=_("Ideas I voted for are merged into another"),
        message=_("“%(title)s” was merged into “%(target)s”; your vote moved with it"),
    )
    register_kind(
        "idea_comment",
        label=_("Comments on ideas I follow"),
        message=_("%(actor)s commented on “%(title)s”"),
    )
    if sections_ideas.home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(sections_ideas.home_section)
    if sections_ideas.profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(sections_ideas.profile_section)
