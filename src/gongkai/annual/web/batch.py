"""The supervisor's batch check: many bodies, their reports fetched, read and checked.

Fetching happens in threads of this process (so that the per-host limits of
the one :class:`Fetcher` hold for the whole run); reading and checking -- the
CPU work, OCR above all -- happens in ``jobs`` worker processes, each
recycled after ``TASKS_PER_WORKER`` reports and with its address space capped,
so memory stays bounded however long the list.  At most ``max(4, 2 * jobs)`` fetched
documents wait for a worker at any time.

Each body gets one :class:`Outcome`: read and checked, or failed with the
reason (the page is missing, a timeout, not a report, the wrong year) -- and
the run goes on with the next body.
"""

from __future__ import annotations

import concurrent.futures as cf
import io
import queue
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.annual.web.fetch import Fetcher, FetchError
from gongkai.annual.web.follow import Document, find_report, open_report

TASKS_PER_WORKER = 40
WORKER_MEMORY_MB = 4096
FETCH_THREADS = 8

OK = "ok"
FAILED = "failed"
STATUS_LABEL = {OK: "已读取", FAILED: "未读取"}
# What a supervisor writes in the level column of the list of bodies.
LEVEL_WORDS = (
    {label: key for key, label in fmt.LEVELS}
    | {key: key for key, _ in fmt.LEVELS}
    | {
        "省": "province",
        "市级": "city",
        "市": "city",
        "地级": "city",
        "县": "county",
        "区县": "county",
    }
    | {"县区": "county", "区级": "county", "乡镇": "town", "街道": "town", "乡镇级": "town"}
    | {"部门": "department", "县级部门": "department", "市级部门": "department"}
)


@dataclass
class Body:
    url: str
    name: str | None = None
    level: str | None = None


@dataclass
class Outcome:
    """One body's result: a row of the summary workbook."""

    url: str
    name: str | None = None
    level: str | None = None
    year: int | None = None  # the year asked (--year)
    status: str = FAILED
    reason: str | None = None  # why it failed, one Chinese line
    report_url: str | None = None
    page_url: str | None = None
    organization: str | None = None
    report_year: int | None = None
    source_format: str | None = None
    report_format: str | None = None
    errors: int = 0
    warnings: int = 0
    findings: list[dict] = field(default_factory=list)
    cells: dict[str, int | str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    published_on: date | None = None
    deadline: date | None = None
    days_late: int | None = None  # >0 late, <=0 on time, None unknown
    previous_url: str | None = None
    repetition: float | None = None  # share of this year's prose found in last year's
    previous_reason: str | None = None
    from_cache: bool = False

    @property
    def label(self) -> str:
        return self.name or self.url

    def to_dict(self) -> dict:
        doc = asdict(self)
        for key in ("published_on", "deadline"):
            if doc[key] is not None:
                doc[key] = doc[key].isoformat()
        return doc


# --- the list of bodies ----------------------------------------------------------


class BodyListError(Exception):
    """The --urls file cannot be used; one Chinese line."""


def load_bodies(path: Path) -> list[Body]:
    """A text list (one URL a line, optionally ``名称<TAB>层级<TAB>URL``) or an XLSX of bodies."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BodyListError(f"{path}：无法打开（{exc.strerror or type(exc).__name__}）") from exc
    if data[:4] == b"PK\x03\x04":
        return _xlsx_bodies(data, path)
    from gongkai.annual.readers.decode import decode_text
    from gongkai.annual.readers.errors import ReadError

    try:
        text = decode_text(data)
    except ReadError as exc:
        raise BodyListError(f"{path}：{exc}") from exc
    bodies = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in re.split(r"\t|,|，", line) if p.strip()]
        url = next((p for p in parts if p.startswith(("http://", "https://"))), None)
        if url is None:
            continue
        rest = [p for p in parts if p is not url]
        bodies.append(_body(url, rest))
    if not bodies:
        raise BodyListError(f"{path}：没有找到网址（每行一个 http:// 或 https:// 开头的网址）")
    return bodies


def _body(url: str, rest: list[str]) -> Body:
    level = next((LEVEL_WORDS[p] for p in rest if p in LEVEL_WORDS), None)
    name = next((p for p in rest if p not in LEVEL_WORDS), None)
    return Body(url=url, name=name, level=level)


def _xlsx_bodies(data: bytes, path: Path) -> list[Body]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise BodyListError(f"{path}：不是可读取的 XLSX 文件") from exc
    bodies = []
    try:
        for row in wb.worksheets[0].iter_rows(values_only=True):
            cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
            url = next((c for c in cells if c.startswith(("http://", "https://"))), None)
            if url is not None:
                bodies.append(_body(url, [c for c in cells if c is not url]))
    finally:
        wb.close()
    if not bodies:
        raise BodyListError(f"{path}：表格里没有网址（列：名称、层级、网址）")
    return bodies


# --- reading (in the worker processes) -------------------------------------------------


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: unbounded
        pass


def _worker_init(megabytes: int, threads: int) -> None:
    import os

    os.environ["GONGKAI_OCR_THREADS"] = str(threads)
    _limit_memory(megabytes)


@dataclass
class Task:
    index: int
    outcome: Outcome
    data: bytes
    name: str
    ocr: str
    deadline: date | None
    previous: tuple[bytes, str] | None = None


def read_task(task: Task) -> Outcome:
    """Read and check one fetched document (runs in a worker process)."""
    from gongkai.annual import rules
    from gongkai.annual.readers import ReadError, read_bytes

    out = task.outcome
    try:
        report = read_bytes(task.data, name=task.name, ocr=task.ocr)
    except ReadError as exc:
        out.reason = f"不是可读取的年度报告：{exc}"
        return out
    except MemoryError:
        out.reason = "读取时内存不足（文件太大或太复杂）"
        return out
    except Exception as exc:  # noqa: BLE001 - one body's failure never stops the run
        out.reason = f"读取时发生意外错误（{type(exc).__name__}）"
        return out
    out.organization = report.organization
    out.report_year = report.year
    out.source_format = report.source_format
    out.report_format = report.format
    if out.year is not None and report.year is not None and report.year != out.year:
        out.reason = f"年度不对：读到的是{report.year}年度的报告，要检查的是{out.year}年度"
        return out
    previous = None
    if task.previous is not None:
        try:
            previous = read_bytes(task.previous[0], name=task.previous[1], ocr=task.ocr)
        except ReadError as exc:
            out.previous_reason = f"上年报告无法读取：{exc}"
    level = out.level or report.level
    year = report.year
    deadline = task.deadline or (rules.statutory_deadline(year, level) if year else None)
    out.deadline = deadline
    if out.published_on is not None and deadline is not None:
        out.days_late = (out.published_on - deadline).days
    findings = rules.check(
        report,
        previous=previous,
        level=level,
        deadline=deadline,
        published_on=out.published_on,
    )
    if previous is not None:
        out.repetition = rules.prose_overlap(report.prose(), previous.prose())
    out.findings = [f.to_dict() for f in findings]
    out.errors = sum(1 for f in findings if f.severity == ERROR)
    out.warnings = len(findings) - out.errors
    out.cells = {
        k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in report.cells.items()
    }
    out.confidence = dict(report.confidence)
    out.status = OK
    return out


# --- the run -----------------------------------------------------------------------


@dataclass
class Options:
    year: int | None = None
    follow: bool = False
    previous_year: bool = False
    ocr: str = "auto"
    jobs: int = 1
    deadline: date | None = None
    published_on: date | None = None
    worker_memory_mb: int = WORKER_MEMORY_MB


def _fetch(fetcher: Fetcher, body: Body, options: Options, index: int) -> Task | Outcome:
    out = Outcome(url=body.url, name=body.name, level=body.level, year=options.year)
    if not body.url.startswith(("http://", "https://")):
        return _local(body, out, options, index)
    try:
        if options.follow:
            if options.year is None:
                raise FetchError("--follow 需要 --year 指定年度")
            doc = find_report(fetcher, body.url, options.year)
        else:
            doc = open_report(fetcher, body.url, year=options.year)
    except FetchError as exc:
        out.reason = str(exc)
        return out
    except Exception as exc:  # noqa: BLE001 - one body's failure never stops the run
        out.reason = f"抓取时发生意外错误（{type(exc).__name__}）"
        return out
    out.report_url = doc.url
    out.page_url = doc.page_url
    out.published_on = options.published_on or doc.published_on
    out.from_cache = doc.from_cache
    previous = None
    if options.previous_year and options.follow and options.year is not None:
        try:
            prev: Document = find_report(fetcher, body.url, options.year - 1)
            previous = (prev.data, prev.name)
            out.previous_url = prev.url
        except FetchError as exc:
            out.previous_reason = f"上年报告：{exc}"
    return Task(index, out, doc.data, doc.name, options.ocr, options.deadline, previous)


def _local(body: Body, out: Outcome, options: Options, index: int) -> Task | Outcome:
    """A file named on the command line (``check -j 4 folder/``): read from disk."""
    from gongkai.annual.readers import MAX_BYTES

    path = Path(body.url)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            out.reason = (
                f"文件太大：{size / 1024 / 1024:.1f} MB，上限 {MAX_BYTES / 1024 / 1024:.0f} MB"
            )
            return out
        data = path.read_bytes()
    except FileNotFoundError:
        out.reason = f"找不到文件“{path}”"
        return out
    except OSError as exc:
        out.reason = f"文件无法打开（{exc.strerror or type(exc).__name__}）"
        return out
    out.report_url = str(path)
    out.published_on = options.published_on
    return Task(index, out, data, path.name, options.ocr, options.deadline)


def run_batch(
    bodies: Iterable[Body],
    fetcher: Fetcher,
    options: Options,
    on_result: Callable[[int, Outcome], None],
) -> list[Outcome]:
    """Fetch, read and check every body; ``on_result(index, outcome)`` as each finishes.

    Returns the outcomes in the order of ``bodies``.
    """
    bodies = list(bodies)
    results: list[Outcome | None] = [None] * len(bodies)
    all_done = threading.Condition()
    finished = 0

    def finish(index: int, outcome: Outcome) -> None:
        nonlocal finished
        with all_done:
            results[index] = outcome
            on_result(index, outcome)
            finished += 1
            all_done.notify_all()

    jobs = max(1, options.jobs)
    pool = _new_pool(jobs, options) if jobs > 1 else None
    # Fetched documents waiting for a reader: bounded, so memory is too.  Fetched
    # items travel through a queue, not through futures, so that nothing keeps a
    # document's bytes alive once it has been read.
    waiting = threading.BoundedSemaphore(max(4, 2 * jobs))
    fetched: queue.Queue[tuple[int, Task | Outcome]] = queue.Queue()

    def fetch_one(index: int) -> None:
        waiting.acquire()
        fetched.put((index, _fetch(fetcher, bodies[index], options, index)))

    try:
        with cf.ThreadPoolExecutor(max_workers=FETCH_THREADS) as fetch_pool:
            for i in range(len(bodies)):
                fetch_pool.submit(fetch_one, i)
            for _ in range(len(bodies)):
                index, item = fetched.get()
                if isinstance(item, Outcome):
                    waiting.release()
                    finish(index, item)
                    continue
                if pool is None:
                    try:
                        finish(index, read_task(item))
                    finally:
                        waiting.release()
                    continue
                try:
                    read = pool.submit(read_task, item)
                except BrokenProcessPool:  # a worker died (memory cap): a fresh pool
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(jobs, options)
                    read = pool.submit(read_task, item)
                outcome = item.outcome
                del item  # the worker has its copy; keep only the small outcome here
                read.add_done_callback(
                    lambda f, i=index, o=outcome: _done(f, i, o, finish, waiting)
                )
                del read  # the pool drops a finished future: nothing accumulates
            with all_done:  # every outcome reported, by this thread or a callback
                all_done.wait_for(lambda: finished == len(bodies))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return [r for r in results if r is not None]


def _new_pool(jobs: int, options: Options) -> cf.ProcessPoolExecutor:
    import multiprocessing

    return cf.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(options.worker_memory_mb, 1),
        max_tasks_per_child=TASKS_PER_WORKER,
    )


def _done(future: cf.Future, index: int, outcome: Outcome, finish, waiting) -> None:
    try:
        outcome = future.result()
    except Exception as exc:  # noqa: BLE001 - a worker killed (memory cap) fails one body
        outcome.reason = f"读取进程异常退出（{type(exc).__name__}；可能超过内存上限）"
    finally:
        waiting.release()
    finish(index, outcome)
