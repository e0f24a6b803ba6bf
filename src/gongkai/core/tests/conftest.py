"""Tests of the shared-cache pieces run on both kinds of default cache (the
``locmem_cache`` and ``redis_cache`` fixtures of gongkai/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    """Each test twice: on LocMem and on the real Redis."""
    return request.getfixturevalue(f"{request.param}_cache")
