from celery import shared_task

from .services import questions as services


@shared_task(name="forum.accept_reminder_sweep")
def accept_reminder_sweep_task() -> int:
    return services.accept_reminder_sweep()


@shared_task(name="forum.unanswered_digest_send")
def unanswered_digest_send_task() -> int:
    return services.unanswered_digest_send()
