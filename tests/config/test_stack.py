"""Room on CPython's frame stack for gunicorn's workers (config/stack.py, gunicorn.conf.py)."""

import resource
import sys
from types import SimpleNamespace

import pytest
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config

from config.stack import in_roomy_stack
from tests.conftest import ROOT

CALLS = 200


def _leaf() -> int:
    return 1


def _down(depth: int) -> None:
    if depth:
        return _down(depth - 1)
    for _ in range(CALLS):
        _leaf()
    return None


def _worst_page_faults() -> int:
    """The most page faults ``CALLS`` calls of a tiny function made from any of 700 depths:
    at the depth where the call crosses a chunk's end of the frame stack, each call gets a new
    chunk from the kernel and gives it back."""
    worst = 0
    for depth in range(700):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _down(depth)
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


def test_calls_at_a_chunks_end_cost_no_page_faults_in_the_roomy_stack():
    if sys.version_info < (3, 15):  # CPython's gh-142183: a fresh chunk at every such call
        assert _worst_page_faults() >= CALLS
    assert in_roomy_stack(_worst_page_faults) < CALLS // 10


def test_the_roomy_stack_returns_what_it_ran_and_lets_errors_through():
    assert in_roomy_stack(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        in_roomy_stack(divmod, 1, 0)


def test_gunicorn_reads_the_projects_config_and_its_workers_loop_in_the_roomy_stack(
    monkeypatch,
):
    """gunicorn reads ./gunicorn.conf.py when no ``--config`` is given (every command line in
    docs/deployment.md, bench/ and ops/ runs from the project's directory); its
    ``post_worker_init`` makes the worker's loop, every request in it, run in the roomy stack."""
    assert Config().settings["config"].default == "./gunicorn.conf.py"
    monkeypatch.chdir(ROOT)
    # gunicorn's own loader of the file (its application, unparsed: no command line here)
    loader = object.__new__(WSGIApplication)
    settings = loader.get_config_from_filename("gunicorn.conf.py")
    worker = SimpleNamespace(run=_worst_page_faults)
    settings["post_worker_init"](worker)
    assert worker.run() < CALLS // 10
