"""gunicorn's own settings, read by every ``gunicorn`` started in this directory (its default
``--config``): docs/deployment.md, the benchmark (bench/) and the local cluster (ops/). The
command line keeps everything else (workers, binding, timeouts)."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Each worker runs its loop, every request included, from a frame with room on CPython's
    frame stack (config/stack.py): a render no longer gets and gives back a chunk of that stack
    at every call that crosses a chunk's end, which cost the question page half its CPU."""
    from config.stack import in_roomy_stack  # lazy: the worker has loaded the project by now

    run = worker.run
    worker.run = lambda: in_roomy_stack(run)
