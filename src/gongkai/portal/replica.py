"""Portal reads from a PostgreSQL replica (``DATABASE_REPLICA_URL``, issue #13).

:class:`ReplicaReadMiddleware` marks a request whose reads may go to the
replica: an anonymous GET/HEAD of a public page.  Everything else reads and
writes the primary: the back office, anyone signed in, every POST, and the
pages that show what the visitor has just written (the status look-up, the
receipts after an application, an inquiry or a comment) — a replica a moment
behind would not have it yet.  :class:`ReplicaRouter` sends the marked
request's reads to the ``replica`` alias and every write, migration and
unmarked read to ``default``.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("gongkai_replica_reads", default=False)

# Never from the replica: private areas, and pages that read what was just written.
PRIMARY_PREFIXES = ("/backoffice", "/admin", "/status/", "/healthz")
PRIMARY_PARTS = ("/apply/", "/receipt/", "/inquiries/", "/consultations/")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(request) -> bool:
    """Whether this request's reads may come from the replica."""
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if path.startswith(PRIMARY_PREFIXES) or any(part in path for part in PRIMARY_PARTS):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaReadMiddleware:
    """After AuthenticationMiddleware (it asks whether the visitor signed in)."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(reads_from_replica(request))
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() and replica_configured() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two connections

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
