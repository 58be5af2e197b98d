"""Background work of the idea board (imported by ForumConfig.ready so the worker knows it)."""

from celery import shared_task

from . import services_ideas as services


@shared_task(name="forum.idea_trending_refresh")
def idea_trending_refresh_task() -> int:
    return services.idea_trending_refresh()
