"""Background jobs of the ambassador program (names are used by the beat schedule)."""

from celery import shared_task

from . import services


@shared_task(name="ambassadors.referral_qualify_sweep")
def referral_qualify_sweep_task() -> dict[str, int]:
    return services.referral_qualify_sweep()


@shared_task(name="ambassadors.ambassador_review_monthly")
def ambassador_review_monthly_task() -> dict[str, int]:
    return services.ambassador_review_monthly()
