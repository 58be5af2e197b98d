import random

from celery import Task, shared_task
from django.db import DatabaseError

from . import (
    services,
    services_badges,
    services_bookmarks,
    services_outbox,
    services_privacy,
    services_summary,
)

# Retries of a delivery task whose database or mail server failed: about 2 s, 4 s, 8 s …
# up to a minute apart, with jitter, eight times; the sweep is there after that.
RETRY_MAX = 8
RETRY_CEILING_SECONDS = 60


@shared_task(name="members.welcome_email_sweep")
def welcome_email_sweep_task() -> int:
    return services.welcome_email_sweep()


@shared_task(name="members.outbox_deliver", bind=True, max_retries=RETRY_MAX)
def outbox_deliver_task(self: Task, ids: list[int]) -> int:
    """Send the e-mails just written (a hint: the sweep would send them anyway)."""
    try:
        return services_outbox.outbox_deliver(ids=ids)
    except (DatabaseError, services_outbox.DeliveryPaused) as exc:
        if self.request.is_eager:
            # Run in a web request (development, tests): retrying there would hold the
            # request; the rows are recorded and the sweep sends them.
            return 0
        ceiling = min(RETRY_CEILING_SECONDS, 2 ** (self.request.retries + 1))
        countdown = ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="members.outbox_flush")
def outbox_flush_task() -> int:
    """The sweep (every VECHE_OUTBOX_SWEEP_SECONDS, beat): whatever is due, until done or
    out of time. Not retried: the next sweep comes soon."""
    return services_outbox.outbox_sweep()


@shared_task(name="members.data_export_build")
def data_export_build_task(export_id: int) -> bool:
    return services_privacy.data_export_build(export_id=export_id)


@shared_task(name="members.data_export_sweep")
def data_export_sweep_task() -> int:
    return services_privacy.data_export_sweep()


@shared_task(name="members.ping")
def ping_task(value: int) -> int:
    """Used by the CI check that a real worker consumes tasks from Redis."""
    return value * 2


@shared_task(name="members.bookmark_reminders_send")
def bookmark_reminders_send_task() -> int:
    return services_bookmarks.bookmark_reminders_send()


@shared_task(name="members.summary_send")
def summary_send_task() -> int:
    """The summary e-mails of the day (beat, daily): safe to run twice."""
    return services_summary.summary_send()


@shared_task(name="members.badges_backfill")
def badges_backfill_task() -> int:
    """Award the badges every registered rule lists and nobody holds yet (nightly, beat)."""
    return services_badges.badges_backfill()


@shared_task(name="members.expert_ranks_refresh")
def expert_ranks_refresh_task() -> int:
    """Every tag's best experts ranked again (beat, every VECHE_EXPERT_RANKS_SECONDS):
    reputation moves with every vote."""
    return services.expert_ranks_refresh()
