from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analytics import services
from analytics.charts import Chart, Series
from analytics.models import DailyActiveCount, RollupWatermark
from analytics.tasks import reengagement_send_monthly_task, rollups_update_nightly_task

from .factories import member_joined

pytestmark = pytest.mark.django_db


def test_tasks_have_the_names_the_beat_schedule_uses():
    assert rollups_update_nightly_task.name == "analytics.rollups_update_nightly"
    assert reengagement_send_monthly_task.name == "analytics.reengagement_send_monthly"


def test_nightly_task_fills_the_rollups_from_the_start_of_history():
    today = timezone.localdate()
    member_joined(today - timedelta(days=40), active=[today - timedelta(days=1)])
    rollups_update_nightly_task.apply()
    assert DailyActiveCount.objects.count() == 41
    assert RollupWatermark.objects.get(metric="daily_active").computed_through == today


def test_a_run_cut_short_resumes_after_the_last_committed_chunk(monkeypatch):
    today = timezone.localdate()
    member_joined(today - timedelta(days=80), active=[today - timedelta(days=70), today])
    real = services._daily_rows
    calls = []

    def flaky(start, end):
        calls.append(start)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(start, end)

    monkeypatch.setattr(services, "_daily_rows", flaky)
    with pytest.raises(RuntimeError):
        services.rollups_update(today=today)
    first_chunk_end = today - timedelta(days=80) + timedelta(days=services.CHUNK_DAYS - 1)
    mark = RollupWatermark.objects.get(metric="daily_active")
    assert mark.computed_through == first_chunk_end
    assert DailyActiveCount.objects.count() == services.CHUNK_DAYS
    services.rollups_update(today=today)
    # resumed from the day before the watermark, not from the beginning
    assert calls[2] == first_chunk_end - timedelta(days=1)
    assert DailyActiveCount.objects.count() == 81
    assert DailyActiveCount.objects.get(day=today - timedelta(days=70)).dau == 1


def test_rebuild_command_rejects_a_backwards_range():
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", since="2026-05-02", until="2026-05-01")
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--since", "yesterday")


def test_charts_escape_labels_and_describe_themselves():
    chart = Chart(
        kind="line",
        key="c1",
        title="Active <members>",
        x_label="Day",
        y_label="Members",
        labels=["<script>", "b"],
        series=[Series("Daily", [1, 2]), Series("Weekly", [2, None])],
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert "stroke-dasharray" in svg  # the second series differs by line style, not colour
    assert chart.table_rows == [["<script>", "1", "2"], ["b", "2", "—"]]
    bar = Chart(
        kind="bar",
        key="c2",
        title="Sign-ups",
        x_label="Day",
        y_label="Sign-ups",
        labels=["a"],
        series=[Series("Sign-ups", [3])],
    )
    assert "<title>a: 3 (Sign-ups)</title>" in str(bar.svg)
