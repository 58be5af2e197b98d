from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # lazy: models load only once the app registry is ready

        receivers.connect()

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
