from celery import shared_task

from .services import sweeps


@shared_task(name="forum.accept_reminder_sweep")
def accept_reminder_sweep_task() -> int:
    return sweeps.accept_reminder_sweep()


@shared_task(name="forum.unanswered_digest_send")
def unanswered_digest_send_task() -> int:
    return sweeps.unanswered_digest_send()
