from celery import shared_task

from .services import sanction_expire_sweep, trust_level_recompute
from .services.screening import fingerprints_prune


@shared_task(name="moderation.sanction_expire_sweep")
def sanction_expire_sweep_task() -> int:
    fingerprints_prune()
    return sanction_expire_sweep()


@shared_task(name="moderation.trust_level_recompute")
def trust_level_recompute_task() -> int:
    return trust_level_recompute()
