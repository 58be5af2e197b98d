"""Room on CPython's frame stack for a worker's whole life (docs/caching.md, "Cheap renders").

CPython 3.11 keeps the frames of Python calls in 16 KiB chunks. A call that does not fit in
the current chunk gets a new one (``mmap``), and that chunk is given back (``munmap``) as soon
as the call returns. A loop that calls a function right at a chunk's end pays that for every
call: a page's render calls hundreds of macros and filters from the same depth, so where a
chunk happens to end decides whether a request costs 7 or 16 ms of CPU. Measured in a gunicorn
worker on the benchmark's question page of 35 answers, caches off: ~1,970 ``mmap``/``munmap``
pairs and as many page faults per request, 16.5 ms of CPU (7 of them in the kernel); inside
``in_roomy_stack``, no ``mmap`` and 7.3 ms. CPython's issue is gh-142183 (open; a cached chunk is
planned for 3.15).

``in_roomy_stack(run)`` calls ``run`` from a frame of ``ROOM_SLOTS`` unused local variables.
CPython gives such a frame a chunk of its own, sized to twice what it needs (512 KiB), and
every call ``run`` makes is pushed after it in the same chunk: ~250 KiB, deeper than any
request goes. The chunk lives as long as that frame, so gunicorn's workers run their whole
loop in it (``gunicorn.conf.py``). Its cost: the frame's ~260 KiB of memory per worker, and
compiling the function once (~40 ms), when first asked for.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

ROOM_SLOTS = 33_000  # 8 bytes each; with CPython's 1,000 slots of margin: a 512 KiB chunk


@cache
def _roomy() -> Callable[..., Any]:
    # Names assigned under ``if False`` are local variables all the same (the compiler counts
    # them before it drops the dead branch): the frame has the room, the code does nothing.
    names = " = ".join(f"_{i}" for i in range(ROOM_SLOTS))
    source = (
        f"def roomy(run, *args):\n    if False:\n        {names} = None\n    return run(*args)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<config.stack>", "exec"), namespace)  # noqa: S102 - generated above
    return namespace["roomy"]


def in_roomy_stack(run: Callable[..., Any], *args: Any) -> Any:
    """``run(*args)``, with room on the frame stack for everything it calls."""
    return _roomy()(run, *args)
