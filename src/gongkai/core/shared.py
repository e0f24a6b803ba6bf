"""Per-process copies of shared data, kept honest by a version in the shared cache.

Several app servers (issue #13) each keep a copy of data that is read on many
requests and changes rarely: the working-day calendar, the bodies' host names.
A copy is valid while the *version* stored under its name in the default cache
is the one it was built under; whoever changes the data calls
:func:`version_bump` once the change is committed, and every process sees the
new version on its next read (one cache ``GET``: Redis on the platform).

A version the cache lost (Redis restarted, key evicted) is replaced by a new
random one, so every copy is rebuilt: losing the cache can cost a rebuild, never
a stale answer.  A per-process cache (LocMem, the embedded mode's one process)
is not shared between processes; :func:`cache_is_shared` says so, and callers
that must be right across processes without Redis add a check of their own.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.cache import cache, caches
from django.db import connection, transaction

T = TypeVar("T")

_PROCESS_LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_is_shared(alias: str = "default") -> bool:
    """Whether the cache is one store for every process (Redis, Memcached, database)."""
    backend = type(caches[alias])
    return f"{backend.__module__}.{backend.__qualname__}" not in _PROCESS_LOCAL_BACKENDS


def _key(name: str) -> str:
    return f"version:{name}"


def version_get(name: str) -> str:
    """The current version of ``name``; a new random one if the cache has none."""
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), uuid.uuid4().hex, timeout=None)
        version = cache.get(_key(name))
        if version is None:  # a cache that keeps nothing (DummyCache): never reuse a copy
            return uuid.uuid4().hex
    return str(version)


def version_bump(name: str) -> None:
    """Mark every process's copy of ``name`` stale; call after the change committed."""
    cache.set(_key(name), uuid.uuid4().hex, timeout=None)


class VersionedCopy(Generic[T]):
    """One process's copy of a shared value, rebuilt when its version changes.

    ``loader`` builds the value; ``extra`` (optional) adds to the version a
    stamp of the caller's own (e.g. a cheap database check where the cache is
    not shared); ``max_age`` (seconds) rebuilds a copy that is older, for data
    where a bounded delay is acceptable without a shared cache.
    """

    def __init__(
        self,
        name: str,
        loader: Callable[[], T],
        *,
        extra: Callable[[], Hashable] | None = None,
        max_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.loader = loader
        self.extra = extra
        self.max_age = max_age
        self.clock = clock
        self._lock = threading.Lock()
        self._stamp: Hashable = None
        self._value: T | None = None
        self._built_at = 0.0
        self.builds = 0  # how many times this copy was (re)built; tests read it
        self._pending = threading.local()

    def _current_stamp(self) -> Hashable:
        return (version_get(self.name), self.extra() if self.extra else None)

    def get(self, *, store: bool = True) -> T:
        # The stamp is read before the data: a change committed while loading
        # bumps the version after this read, so the copy is rebuilt next time.
        stamp = self._current_stamp()
        now = self.clock()
        with self._lock:
            fresh = self.max_age is None or now - self._built_at < self.max_age
            if self._stamp == stamp and self._stamp is not None and fresh:
                return self._value  # type: ignore[return-value]
        value = self.loader()
        if store:
            with self._lock:
                self._stamp, self._value, self._built_at = stamp, value, now
                self.builds += 1
        return value

    def changed(self) -> None:
        """The data changed in the current transaction: this thread reads its own
        uncommitted rows (never kept as the process's copy, which a rollback
        would leave stale); after the commit every process rebuilds."""
        self._pending.block = connection.atomic_blocks[0] if connection.atomic_blocks else None
        self.invalidate()

        def committed() -> None:
            self._pending.block = None
            self.invalidate()
            version_bump(self.name)

        transaction.on_commit(committed)

    def current(self) -> T:
        """:meth:`get`, not kept while this thread's transaction holds a change."""
        block = getattr(self._pending, "block", None)
        pending = (
            block is not None
            and bool(connection.atomic_blocks)
            and connection.atomic_blocks[0] is block
        )
        if block is not None and not pending:
            self._pending.block = None  # that transaction ended without a commit
        return self.get(store=not pending)

    def invalidate(self) -> None:
        """Drop this process's copy only (other processes: :func:`version_bump`)."""
        with self._lock:
            self._stamp, self._value, self._built_at = None, None, 0.0
