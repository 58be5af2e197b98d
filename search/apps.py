from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from .terms import fold


def _sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``veche_fold(text)`` in SQLite's SQL, for the fallback search (search/ranking.py)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "veche_fold", 1, lambda text: None if text is None else fold(text), deterministic=True
        )


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        connection_created.connect(_sqlite_fold, dispatch_uid="search.sqlite_fold")
