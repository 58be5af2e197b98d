from celery import shared_task

from .services import queue_items_overdue_sweep, sanction_expire_sweep, trust_level_recompute
from .services.screening import fingerprints_prune


@shared_task(name="moderation.sanction_expire_sweep")
def sanction_expire_sweep_task() -> int:
    fingerprints_prune()
    return sanction_expire_sweep()


@shared_task(name="moderation.trust_level_recompute")
def trust_level_recompute_task() -> int:
    return trust_level_recompute()


@shared_task(name="moderation.queue_overdue_sweep")
def queue_overdue_sweep_task() -> int:
    return queue_items_overdue_sweep()
