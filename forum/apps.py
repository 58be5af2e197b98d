from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from moderation.registry import register_content

        from .models import Comment

        register_content(Comment, label=_("comment"))
        _ready_ideas()


def _ready_ideas() -> None:
    """The idea board plugs into moderation, notifications, home and profile pages."""
    from datetime import timedelta

    from config.home import HOME_SECTIONS
    from members.notifications import register_kind
    from members.profile import PROFILE_SECTIONS
    from moderation.registry import register_content, register_queue

    from . import admin_ideas, review_ideas, sections_ideas, services_ideas  # noqa: F401
    from .models import Idea

    register_content(Idea, label=_("idea"), on_publish=services_ideas.idea_on_publish)
    register_queue(
        services_ideas.REVIEW_QUEUE, label=_("New ideas"), target_age=timedelta(days=3),
        on_approve=review_ideas.queue_approve, on_reject=review_ideas.queue_reject, order=30,
    )
    register_kind(
        "idea_status_changed", label=_("Status changes of ideas I voted for or follow"),
        message=_("“%(title)s” is now %(status)s"),
    )
    register_kind(
        "idea_shipped", label=_("Ideas I care about have shipped"),
        message=_("Shipped: “%(title)s”"),
    )
    register_kind(
        "idea_comment", label=_("Comments on ideas I follow"),
        message=_("%(actor)s commented on “%(title)s”"),
    )
    HOME_SECTIONS.append(sections_ideas.home_section)
    PROFILE_SECTIONS.append(sections_ideas.profile_section)
