"""The WSGI entry point gunicorn loads (config/wsgi.py)."""

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import gc
import config.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), callable(config.wsgi.application))
"""


def test_what_the_process_loaded_at_start_is_out_of_the_collectors_sight():
    """Django, the apps and the URLconf are frozen once loaded: a full collection no longer
    walks them (75–150 ms of a worker every 100–200 requests before, on the benchmark), and
    what requests make is still collected."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)  # importing opens no connection; SQLite is enough
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked, has_app = result.stdout.split()
    assert has_app == "True"
    assert int(frozen) > 50_000  # the URLconf imported every app's views before the freeze
    assert int(tracked) < int(frozen) // 10
