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
