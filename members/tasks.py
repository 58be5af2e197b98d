from celery import shared_task

from . import services


@shared_task(name="members.welcome_email_sweep")
def welcome_email_sweep_task() -> int:
    return services.welcome_email_sweep()


@shared_task(name="members.outbox_deliver")
def outbox_deliver_task(ids: list[int]) -> int:
    return services.outbox_deliver(ids=ids)


@shared_task(name="members.outbox_flush")
def outbox_flush_task() -> int:
    return services.outbox_deliver()


@shared_task(name="members.ping")
def ping_task(value: int) -> int:
    """Used by the CI check that a real worker consumes tasks from Redis."""
    return value * 2
