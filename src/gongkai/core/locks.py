"""A named lock in the default cache: one of several app servers or workers does
a piece of work, the others see it busy (issue #13).

    with lock("search-rebuild", timeout=3600) as held:
        if not held:
            return  # another server is doing it

The lock is a cache key added only if absent (``cache.add``, Redis ``SET NX``)
holding a random token, with a timeout so a crashed holder cannot keep it
forever; set ``timeout`` above the longest run.  Release deletes the key only if
it still holds the holder's token, so a holder whose lock expired and was taken
by another never releases the other's lock.  On Redis the check and the delete
are one atomic Lua script; on other caches they are two steps (LocMem: one
process, where this module is only a guard against threads of one server).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

# KEYS[1]: the lock key; ARGV[1]: the holder's token.  Delete only one's own lock.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class LockBusy(Exception):
    """Another server or worker holds the lock; ``str(exc)`` is the Chinese reason."""


@dataclass(frozen=True)
class Lock:
    name: str
    token: str


def _key(name: str) -> str:
    return f"lock:{name}"


def _backend():
    return caches["default"]


def acquire(name: str, *, timeout: int) -> Lock | None:
    """Take the lock for ``timeout`` seconds; None if someone holds it."""
    if timeout < 1:
        raise ValueError("timeout must be at least one second")
    token = secrets.token_hex(16)
    backend = _backend()
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)  # noqa: SLF001 - redis-py client
        key = backend.make_and_validate_key(_key(name))
        taken = client.set(key, token, nx=True, ex=timeout)
    else:
        taken = backend.add(_key(name), token, timeout=timeout)
    return Lock(name, token) if taken else None


def release(held: Lock) -> bool:
    """Release ``held`` if it is still the holder's; False if it expired (and
    perhaps was taken by another, whose lock stays)."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)  # noqa: SLF001 - redis-py client
        key = backend.make_and_validate_key(_key(held.name))
        return bool(client.eval(_RELEASE, 1, key, held.token))
    if backend.get(_key(held.name)) != held.token:
        return False
    backend.delete(_key(held.name))
    return True


def is_locked(name: str) -> bool:
    backend = _backend()
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()  # noqa: SLF001
        return bool(client.exists(backend.make_and_validate_key(_key(name))))
    return backend.get(_key(name)) is not None


@contextmanager
def lock(name: str, *, timeout: int) -> Iterator[bool]:
    """Hold ``name`` for the block if it is free; yields whether it was taken."""
    held = acquire(name, timeout=timeout)
    try:
        yield held is not None
    finally:
        if held is not None:
            release(held)


@contextmanager
def lock_or_busy(name: str, *, timeout: int, busy_message: str) -> Iterator[None]:
    """Hold ``name`` for the block, or raise :class:`LockBusy` with the message."""
    with lock(name, timeout=timeout) as held:
        if not held:
            raise LockBusy(busy_message)
        yield
