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


# Writes first (config/workers.py, docs/deployment.md): each worker takes up to
# ``worker_connections`` requests off the listening socket and serves them on its ``threads``,
# every method but GET and HEAD before the reads. One request per connection (``keepalive``
# 0, as gunicorn's sync workers): a kept-alive connection would hold a place in one worker
# between requests, and a worker holding many would keep them waiting while another is idle.
# Measured on the benchmark's mixed rows (bench/results/): writes p50 at 20 writes/s with
# members reading went from ~85 ms to ~33 ms, reads as fast as with sync workers.
worker_class = "config.workers.WritesFirstWorker"
threads = 2
worker_connections = 8
keepalive = 0
