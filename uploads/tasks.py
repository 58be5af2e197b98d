from celery import shared_task

from .services import upload_orphans_delete
from .services_drafts import drafts_old_delete


@shared_task(name="uploads.orphans_delete")
def orphans_delete_task() -> int:
    return upload_orphans_delete()


@shared_task(name="uploads.drafts_old_delete")
def drafts_old_delete_task() -> int:
    return drafts_old_delete()
