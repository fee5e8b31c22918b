"""The bounded caches of the search package.

``Lru``: a ``cachetools.LRUCache`` behind a lock. ``Memo``: a plain dict that fills up
to its bound and then keeps what it has, read without a lock (a dict's ``get`` and
item assignment are atomic in CPython), for values that never go stale, like the
analysis of a word.
"""

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import suppress
from typing import Generic, TypeVar, overload

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


class Lru(Generic[K, V]):
    """A least-recently-used cache, safe to share between threads.

    Bounded by `maxsize` entries, or, given `getsizeof`, by `maxsize` in
    whatever unit it measures (bytes). A value larger than the bound is not kept.
    """

    def __init__(self, maxsize: int, getsizeof: Callable[[V], int] | None = None) -> None:
        self._items: LRUCache[K, V] = LRUCache(maxsize, getsizeof)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: D) -> V | D: ...
    def get(self, key: K, default: object = None) -> object:
        with self._lock:
            return self._items.get(key, default)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """Those of `keys` the cache holds, with their values (one visit)."""
        found: dict[K, V] = {}
        items = self._items
        with self._lock:
            for key in keys:
                try:
                    found[key] = items[key]
                except KeyError:  # not kept (a context manager per key costs more)
                    continue
        return found

    def put(self, key: K, value: V) -> None:
        with self._lock, suppress(ValueError):  # larger than the whole cache: not kept
            self._items[key] = value

    def put_many(self, items: Mapping[K, V]) -> None:
        with self._lock:
            for key, value in items.items():
                try:
                    self._items[key] = value
                except ValueError:  # larger than the whole cache: not kept
                    continue


class Memo(Generic[K, V]):
    """A dict filled up to `maxsize` entries, then kept as it is; reads take no lock."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: D) -> V | D: ...
    def get(self, key: K, default: object = None) -> object:
        return self._items.get(key, default)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """Those of `keys` the memo holds, with their values."""
        items = self._items
        return {key: items[key] for key in keys if key in items}

    def put(self, key: K, value: V) -> None:
        if len(self._items) < self.maxsize:
            self._items[key] = value

    def put_many(self, items: Mapping[K, V]) -> None:
        room = self.maxsize - len(self._items)
        if room >= len(items):
            self._items.update(items)
        elif room > 0:
            self._items.update(dict(list(items.items())[:room]))
