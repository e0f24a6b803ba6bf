"""Portal reads from a replica (``DATABASE_REPLICA_URL``): the router's choice.

The PostgreSQL test runs the platform in a child process with both aliases on
the test database, as a replica would be a copy of it, and checks which
connection each request used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory

from gongkai.organizations.models import Organization
from gongkai.portal import replica
from gongkai.tests.helpers import command_env

rf = RequestFactory()


class Signed:
    is_authenticated = True


@pytest.mark.parametrize(
    ("method", "path", "user", "expected"),
    [
        ("get", "/", AnonymousUser(), True),
        ("get", "/test-town/items/5/", AnonymousUser(), True),
        ("head", "/test-town/", AnonymousUser(), True),
        ("get", "/search/", AnonymousUser(), True),
        ("get", "/api/v1/organizations/", AnonymousUser(), True),
        ("post", "/test-town/apply/", AnonymousUser(), False),
        ("get", "/test-town/apply/", AnonymousUser(), False),
        ("get", "/test-town/apply/receipt/ABC/", AnonymousUser(), False),
        ("get", "/status/", AnonymousUser(), False),
        ("get", "/test-town/inquiries/", AnonymousUser(), False),
        ("get", "/backoffice/login/", AnonymousUser(), False),
        ("get", "/admin/", AnonymousUser(), False),
        ("get", "/test-town/", Signed(), False),
    ],
)
def test_which_requests_read_from_the_replica(method, path, user, expected):
    request = getattr(rf, method)(path)
    request.user = user
    assert replica.reads_from_replica(request) is expected


def test_the_router_sends_marked_reads_to_the_replica_and_writes_to_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = replica.ReplicaRouter()
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Organization)
        seen["write"] = router.db_for_write(Organization)
        return None

    middleware = replica.ReplicaReadMiddleware(view)
    request = rf.get("/test-town/")
    request.user = AnonymousUser()
    middleware(request)
    assert seen == {"read": "replica", "write": "default"}
    request = rf.post("/test-town/apply/")
    request.user = AnonymousUser()
    middleware(request)
    assert seen == {"read": "default", "write": "default"}
    assert router.db_for_read(Organization) == "default"  # outside a request
    assert router.allow_migrate("replica", "organizations") is False
    assert router.allow_migrate("default", "organizations") is True


def test_without_a_replica_the_middleware_is_not_used(settings):
    from django.core.exceptions import MiddlewareNotUsed

    assert "replica" not in settings.DATABASES
    with pytest.raises(MiddlewareNotUsed):
        replica.ReplicaReadMiddleware(lambda r: None)


def test_a_replica_needs_a_primary(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.pop("DATABASE_URL", None)
    env["DATABASE_REPLICA_URL"] = "postgres://x@127.0.0.1:5432/x"
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'gongkai.config.settings'); django.setup()"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DATABASE_REPLICA_URL" in result.stderr


CHILD = """
import django, json, os
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gongkai.config.settings')
django.setup()
from django.db import connections
from django.test import Client
out = {}
for name, path in [('portal', '/'), ('search', '/search/?q=x'), ('apply', '/no-body/apply/'),
                   ('body', '/no-body/')]:
    for alias in ('default', 'replica'):
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
    status = Client().get(path).status_code
    out[name] = [status, len(connections['default'].queries), len(connections['replica'].queries)]
print(json.dumps(out))
"""


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a replica is a PostgreSQL set-up: this runs in make test's PostgreSQL run",
)
def test_on_postgresql_public_reads_use_the_replica_alias(tmp_path):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = command_env(tmp_path, sqlite=True)
    env.update(DATABASE_URL=url, DATABASE_REPLICA_URL=url)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    status, primary, copy = out["portal"]
    assert status == 200 and copy > 0
    assert out["search"][0] == 200 and out["search"][2] > 0
    # The same body look-up: from the replica on its public page, from the
    # primary on its application form.
    assert out["body"][0] == 404 and out["body"][2] > 0, out
    assert out["apply"][0] == 404 and out["apply"][2] == 0 and out["apply"][1] > 0, out
