from celery import shared_task

from . import services


@shared_task(name="analytics.rollups_update_nightly")
def rollups_update_nightly_task() -> dict[str, int]:
    return services.rollups_update()


@shared_task(name="analytics.reengagement_send_monthly")
def reengagement_send_monthly_task() -> int:
    return services.reengagement_send()
