"""Bulk work without the cyclic garbage collector walking every object again and again."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Each collection walks every object alive, so building a large corpus (tens
    of thousands of records) with the collector on spends most of its time in
    it, over objects that stay alive anyway. Reference counting still frees
    everything else; the collector resumes (if it was on) when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
