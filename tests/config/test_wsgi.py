"""The WSGI entry point gunicorn loads (config/wsgi.py)."""

import gc
import os
import subprocess
import sys
import weakref

from config.collector import THRESHOLDS
from tests.conftest import ROOT

PROBE = """
import gc
import config.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), callable(config.wsgi.application))
print(*gc.get_threshold())
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
    loaded, thresholds = result.stdout.splitlines()
    frozen, tracked, has_app = loaded.split()
    assert has_app == "True"
    assert int(frozen) > 50_000  # the URLconf imported every app's views before the freeze
    assert int(tracked) < int(frozen) // 10
    # The young generation is collected every 20,000 objects, not CPython's 700: a page's own
    # live objects are no longer walked two or three times while it renders.
    assert tuple(map(int, thresholds.split())) == THRESHOLDS


def test_the_collector_still_collects_cycles_made_by_requests():
    """With the thresholds raised, garbage in reference cycles is still collected, once the
    young generation has its 20,000 objects."""

    class Node:
        pass

    before = gc.get_threshold()
    try:
        gc.set_threshold(*THRESHOLDS)
        gc.collect()
        node = Node()
        node.self = node  # a cycle: reference counting alone never frees it
        gone = weakref.ref(node)
        del node
        assert gone() is not None
        _keep = [[] for _ in range(THRESHOLDS[0] + 100)]  # the young generation fills up
        assert gone() is None
    finally:
        gc.set_threshold(*before)
