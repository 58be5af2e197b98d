import pytest


@pytest.mark.celery_worker
def test_a_task_sent_through_redis_is_completed_by_a_real_worker(celery_worker_process):
    from config.celery import app
    from members.tasks import ping_task

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping_task.apply_async(args=[21], queue=celery_worker_process, ignore_result=False)
        assert result.get(timeout=30) == 42
    finally:
        app.conf.task_always_eager = previous
