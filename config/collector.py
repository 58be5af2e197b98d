"""How a long-lived web process runs Python's garbage collector (config/wsgi.py; the
benchmark's render cost runs the same way).

- What the process loaded at start (Django, every app, the URLconf: ~200,000 objects) lives
  as long as the process. ``settle()`` freezes it: a full collection no longer walks it. It
  took 75–150 ms of a worker every 100–200 requests, a pause every request queued behind it
  waited through (Python's ``gc.freeze`` documentation recommends it for servers).
- A page leaves ~1,200–1,600 objects to the collector's count while it renders (rows, their
  instances, contexts), most of them freed when it ends. With CPython's thresholds (a young
  collection every 700 more objects, the middle one every 10 young ones) a question page ran
  2–3 young collections and walked its own live objects again in every one of them, and a
  middle collection came every ~5 pages. ``THRESHOLDS`` collect the young generation every
  ``20_000`` (about a dozen pages), the middle one every 50 of those and the oldest (less the
  frozen part) every 100 of those: the collector still finds every cycle, after more pages
  at once. Measured on the benchmark's 11 main pages, caches off, one process alternating
  both every 15 pages: 0.1–0.6 ms less per page at the median, 0.1–1.6 ms on average (a
  member's question page 11.9 → 10.5 ms), none slower; in a gunicorn worker the difference
  was within the host's noise (±5%). What garbage waits the longer is bounded by the same
  20,000 objects.
"""

import gc

THRESHOLDS = (20_000, 50, 100)


def settle() -> None:
    """Freeze what the process holds now and collect the young generation less often (call it
    once everything a request needs is imported)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
