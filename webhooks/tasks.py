import random

from celery import Task, shared_task
from django.db import DatabaseError

from . import services

# Like the e-mail outbox's delivery task (members/tasks.py): database failures are retried a
# few times with backoff; a failed receiver is not (the row's retry_at and the sweep are).
RETRY_MAX = 8
RETRY_CEILING_SECONDS = 60


@shared_task(name="webhooks.delivery_send", bind=True, max_retries=RETRY_MAX)
def delivery_send_task(self: Task, ids: list[int]) -> int:
    """Send the deliveries just recorded (a hint: the sweep would send them anyway)."""
    try:
        return services.delivery_send(ids=ids)
    except DatabaseError as exc:
        if self.request.is_eager:
            return 0
        ceiling = min(RETRY_CEILING_SECONDS, 2 ** (self.request.retries + 1))
        countdown = ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="webhooks.unanswered_sweep")
def unanswered_sweep_task() -> int:
    """Every 10 minutes (beat): questions waiting too long for an answer, announced once."""
    return services.unanswered_questions_announce()


@shared_task(name="webhooks.delivery_prune")
def delivery_prune_task() -> int:
    """Nightly (beat): the delivery log keeps VECHE_WEBHOOK_KEEP_DAYS."""
    return services.delivery_prune()


@shared_task(name="webhooks.delivery_sweep")
def delivery_sweep_task() -> int:
    """Every VECHE_WEBHOOK_SWEEP_SECONDS (beat): whatever is due, including what a lost hint
    left behind."""
    return services.delivery_sweep()
