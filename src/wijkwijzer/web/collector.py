"""The garbage collector of a serving process, tuned for many short answers.

An answer makes thousands of short-lived objects (a page: its template's), so
CPython's default thresholds (700, 10, 10) collect many times per answer, and now
and then walk the whole heap, with the catalogue in it. Measured at 32 connections
with every request a new query (bench, ``make bench``), the defaults cost the HTML
answers about a sixth of their throughput and most of their p99.

After the catalogue is read, what the process holds for good is moved out of the
collector's sight (``gc.freeze``), and the young generation is collected ten times
less often. Reference counting still frees everything that is not in a cycle.
"""

import gc

SERVING_THRESHOLDS = (10_000, 50, 100)


def tune_for_serving() -> None:
    """Freeze what the process holds now and collect less often (call once, after warm-up)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
