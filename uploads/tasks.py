from celery import shared_task

from .services import upload_orphans_delete


@shared_task(name="uploads.orphans_delete")
def orphans_delete_task() -> int:
    return upload_orphans_delete()
