import pytest


@pytest.mark.celery_worker
def test_a_task_sent_through_redis_is_completed_by_a_real_worker(celery_worker_process):
    from celery.result import allow_join_result

    from config.celery import app
    from members.tasks import ping_task

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping_task.apply_async(args=[21], queue=celery_worker_process, ignore_result=False)
        # Celery's "never join inside a task" guard is one process-wide flag that every eager
        # task sets and restores; eager tasks run from several threads at once (the
        # concurrency and live-server tests of this process) can leave it set. This test is
        # not inside a task, so it says so explicitly.
        with allow_join_result():
            assert result.get(timeout=30) == 42
    finally:
        app.conf.task_always_eager = previous
