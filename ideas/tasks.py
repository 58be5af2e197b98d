"""Background work of the idea board. The task keeps the name it had in forum, so queued
messages and the beat schedule (config.settings) keep working."""

from celery import shared_task

from . import services


@shared_task(name="forum.idea_trending_refresh")
def idea_trending_refresh_task() -> int:
    return services.idea_trending_refresh()
