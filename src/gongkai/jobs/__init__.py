"""Background jobs: declared by the apps, deferred inside their transactions.

``from gongkai.jobs import defer, job`` is the whole interface an app needs;
docs/jobs.md describes the jobs, the two modes and the worker.
"""

from .registry import job
from .runner import defer

__all__ = ["defer", "job"]
