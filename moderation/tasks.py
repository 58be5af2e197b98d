from celery import shared_task


@shared_task(name="moderation.sanction_expire_sweep")
def sanction_expire_sweep_task() -> int:
    from .services import sanction_expire_sweep
    from .services.screening import fingerprints_prune

    fingerprints_prune()
    return sanction_expire_sweep()


@shared_task(name="moderation.trust_level_recompute")
def trust_level_recompute_task() -> int:
    from .services import trust_level_recompute

    return trust_level_recompute()
