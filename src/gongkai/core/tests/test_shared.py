"""Per-process copies checked against a version in the shared cache (issue #13)."""

from __future__ import annotations

from django.core.cache import caches
from django.test import override_settings

from gongkai.core import shared
from gongkai.tests.helpers import fresh_caches


def test_two_processes_see_a_bump(any_cache):
    data = {"value": 1}
    a = shared.VersionedCopy("thing", lambda: data["value"])
    b = shared.VersionedCopy("thing", lambda: data["value"])
    assert a.get() == 1 and b.get() == 1
    data["value"] = 2
    assert a.get() == 1 and b.get() == 1  # no bump yet: both keep their copies
    shared.version_bump("thing")
    assert a.get() == 2 and b.get() == 2
    assert a.builds == 2 and b.builds == 2


def test_a_lost_version_rebuilds_every_copy(redis_cache):
    data = {"value": 1}
    copy = shared.VersionedCopy("lost", lambda: data["value"])
    assert copy.get() == 1
    data["value"] = 2
    for key in redis_cache.scan_iter(match="*version:lost"):
        redis_cache.delete(key)  # Redis restarted or evicted the key
    fresh_caches()
    assert copy.get() == 2


def test_max_age_rebuilds_an_old_copy(locmem_cache):
    now = {"t": 0.0}
    data = {"value": 1}
    copy = shared.VersionedCopy("aged", lambda: data["value"], max_age=10, clock=lambda: now["t"])
    assert copy.get() == 1
    data["value"] = 2
    now["t"] = 9.0
    assert copy.get() == 1
    now["t"] = 10.5
    assert copy.get() == 2


def test_extra_stamp_is_part_of_the_version(locmem_cache):
    stamp = {"s": 1}
    copy = shared.VersionedCopy("x", lambda: stamp["s"] * 10, extra=lambda: stamp["s"])
    assert copy.get() == 10
    stamp["s"] = 2
    assert copy.get() == 20


def test_store_false_does_not_keep_the_value(locmem_cache):
    copy = shared.VersionedCopy("y", lambda: object())
    first = copy.get(store=False)
    assert copy.get() is not first and copy.builds == 1


def test_cache_is_shared(any_cache):
    assert shared.cache_is_shared() is (any_cache is not None)


def test_a_dummy_cache_never_reuses_a_copy():
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        assert caches["default"].get("anything") is None
        copy = shared.VersionedCopy("z", lambda: object())
        assert copy.get() is not copy.get()
