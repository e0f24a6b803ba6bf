"""Start-up checks of how the platform is deployed (run once per process, from
``PlatformConfig.ready``; no request, no database).

The log-in throttle and the portal's rate limits count in Django's ``default``
cache.  LocMem — the embedded mode's cache — lives inside one process: under
gunicorn with four workers each worker counts on its own and the limits are
four times what they say.  ``REDIS_URL`` gives every worker one shared cache;
production without it, and with more than one worker expected, logs a warning.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def _workers_option(args: Sequence[str]) -> int | None:
    """The last ``-w N`` / ``--workers N`` / ``--workers=N`` / ``-wN`` in ``args``."""
    found = None
    for i, arg in enumerate(args):
        if arg in ("-w", "--workers"):
            value = args[i + 1] if i + 1 < len(args) else ""
        elif arg.startswith("--workers="):
            value = arg.partition("=")[2]
        elif arg.startswith("-w") and not arg.startswith("--") and len(arg) > 2:
            value = arg[2:]
        else:
            continue
        try:
            found = int(value)
        except ValueError:
            continue
    return found


def expected_workers(environ: Mapping[str, str], argv: Sequence[str]) -> int:
    """How many worker processes serve the platform, as gunicorn would decide:
    its command line, else ``GUNICORN_CMD_ARGS``, else ``WEB_CONCURRENCY`` (its
    default), else 1.  A gunicorn configuration file is not read: set
    ``WEB_CONCURRENCY`` (or pass ``--workers``) for the check to see it."""
    workers = 1
    try:
        workers = int(environ.get("WEB_CONCURRENCY", "") or 1)
    except ValueError:
        pass
    try:
        from_env = _workers_option(shlex.split(environ.get("GUNICORN_CMD_ARGS", "")))
    except ValueError:  # unbalanced quotes: gunicorn would refuse them itself
        from_env = None
    if from_env is not None:
        workers = from_env
    # gunicorn's own process: bin/gunicorn, or python -m gunicorn (…/gunicorn/__main__.py).
    if argv and "gunicorn" in argv[0]:
        from_argv = _workers_option(list(argv[1:]))
        if from_argv is not None:
            workers = from_argv
    return max(1, workers)


def cache_warning(
    *, production: bool, caches: Mapping, environ: Mapping[str, str], argv: Sequence[str]
) -> str | None:
    """The warning to log at start, or None when the cache setup is sound."""
    if not production:
        return None
    backend = caches.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return None
    workers = expected_workers(environ, argv)
    if workers <= 1:
        return None
    name = backend.rpartition(".")[2]
    return (
        f"生产模式预计运行 {workers} 个工作进程，但缓存是进程内的 {name}："
        f"登录失败计数和访问频率限制在每个进程中各自计算，实际上限是设定值的 {workers} 倍。"
        "请设置环境变量 REDIS_URL（例如 redis://127.0.0.1:6379/0），见 docs/platform.md。"
        f" Production expects {workers} worker processes but the default cache ({name}) is"
        " per process: log-in throttling and rate limits count per worker. Set REDIS_URL."
    )
