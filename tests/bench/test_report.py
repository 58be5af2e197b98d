"""bench/report.py: the mixed table's header names the gunicorn the run served with."""

from bench.common import gunicorn_settings
from bench.report import _served_by


def test_the_report_names_the_worker_gunicorn_conf_chooses(monkeypatch):
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    settings = gunicorn_settings()
    assert settings["worker_class"] == "config.workers.WritesFirstWorker"
    assert _served_by(2, settings).startswith(
        "2 workers (worker_class config.workers.WritesFirstWorker, threads "
    )
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--threads 1")
    assert gunicorn_settings()["command_line"] == "--threads 1"  # an A/B run says so
    assert _served_by(2, None) == "2 workers"  # a result file from before it was recorded
