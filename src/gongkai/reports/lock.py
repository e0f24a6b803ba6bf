"""The year lock: after publication, the records behind a published number are frozen.

条例第四十九条/第五十条: the published annual report is the body's statement of
the year.  A later change to an application, appeal, register entry or yearly
figure that would alter a published cell is refused unless it is made inside
a recorded correction (``services.report_correction_record``), which keeps
who, when, why and the cells before/after, and shows it on the public report.

Two ways in:

- ``assert_year_open(org, year, correction=None)`` -- the call other apps'
  services should make before writing (one line, see docs/reports.md);
- model signals (``pre_save``/``pre_delete`` on Application, Appeal,
  NormativeDocument, YearlyFigures) registered in ``ReportsConfig.ready``.
  The house style avoids signals; this is a deliberate, narrow exception: the
  guard must hold for every write path (services, admin, imports, shell)
  today, and it only *refuses* -- it never changes state.  Bulk operations
  (``bulk_create``, ``QuerySet.update``) bypass signals: no service uses them
  on these models.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save

from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application
from gongkai.core import counting
from gongkai.core.counting import field as _get
from gongkai.disclosure.models import NormativeDocument, YearlyFigures
from gongkai.organizations.models import Organization

from .models import ReportCorrection
from .selectors import published_years

# (organization id, year) pairs a correction in progress has opened.
_open_for: contextvars.ContextVar[frozenset[tuple[int, int]]] = contextvars.ContextVar(
    "gongkai_report_corrections", default=frozenset()
)


class YearLocked(ValidationError):
    """A change would alter a published annual report; the message is for the clerk."""


def _locked_message(org_name: str, year: int) -> str:
    return (
        f"{org_name}{year}年政府信息公开工作年度报告已经公布，此项修改会改变已公布的数字。"
        "如确需修改，请由审批领导或管理员在年度报告页面「登记更正」后进行。"
    )


@contextmanager
def corrections_open(pairs: set[tuple[int, int]]) -> Iterator[None]:
    token = _open_for.set(_open_for.get() | frozenset(pairs))
    try:
        yield
    finally:
        _open_for.reset(token)


def open_correction_years(org_id: int) -> set[int]:
    """Years of ``org_id`` with a correction opened (services.report_correction_open)."""
    return set(
        ReportCorrection.objects.filter(
            report__organization_id=org_id, recorded_at__isnull=True
        ).values_list("report__year", flat=True)
    )


def assert_year_open(org, year: int, correction=None) -> None:
    """Raise :class:`YearLocked` if ``org``'s report for ``year`` is published.

    ``correction`` is the ReportCorrection in progress (or anything true when the
    caller runs inside ``services.report_correction_record``)."""
    org_id = getattr(org, "pk", org)
    if (org_id, year) in _open_for.get() or correction is not None:
        return
    if year in published_years(org_id) and year not in open_correction_years(org_id):
        name = getattr(org, "name", "本机关")
        raise YearLocked(_locked_message(name, year))


def _check_years(org_id: int | None, years: set[int]) -> None:
    if org_id is None or not years:
        return
    published = published_years(org_id)
    allowed = {y for (o, y) in _open_for.get() if o == org_id}
    hit = sorted((published & years) - allowed)
    if hit:
        hit = sorted(set(hit) - open_correction_years(org_id))
    if hit:
        name = Organization.objects.filter(pk=org_id).values_list("name", flat=True).first()
        raise YearLocked(_locked_message(name or "本机关", hit[0]))


# --- per model: what one row contributes to a year's tables ------------------------------
# A change is refused when, for a published year, the row's contribution to that
# year's cells differs before and after (exact, so closing in 2025 an application
# carried over from 2024 leaves 2024 -- where it was "结转" -- untouched).  The
# contributions are gongkai.core.counting's, the Python twins of the queries the
# report is computed with; the body is part of it (moving a row to another body
# changes both bodies' cells).

APPLICATION_FIELDS = ("organization_id", *counting.T3_FIELDS)
APPEAL_FIELDS = ("organization_id", *counting.T4_FIELDS)
NORMATIVE_FIELDS = ("organization_id", *counting.REGISTER_FIELDS)
FIGURES_FIELDS = ("organization_id", *counting.FIGURES_FIELDS)


def _of_body(contribution):
    """Wrap a counting contribution with the row's body (None stays None)."""

    def of_body(obj, year: int):
        cells = contribution(obj, year)
        return None if cells is None else (_get(obj, "organization_id"), cells)

    return of_body


_SPECS = {
    Application: (APPLICATION_FIELDS, _of_body(counting.t3_contribution)),
    Appeal: (APPEAL_FIELDS, _of_body(counting.t4_contribution)),
    NormativeDocument: (NORMATIVE_FIELDS, _of_body(counting.t2_register_contribution)),
    YearlyFigures: (FIGURES_FIELDS, _of_body(counting.t2_figures_contribution)),
}


def _spec(sender):
    return _SPECS.get(sender)


def guard_change(sender, old, new) -> None:
    """Raise YearLocked if replacing ``old`` by ``new`` (either may be None) changes
    a published year's cells outside a correction."""
    spec = _spec(sender)
    if spec is None:
        return
    fields, contribution = spec
    if old is not None and new is not None and all(_get(old, f) == _get(new, f) for f in fields):
        return  # nothing a table counts has changed
    org_ids = {_get(x, "organization_id") for x in (old, new) if x is not None}
    for org_id in sorted(org_ids - {None}):
        published = published_years(org_id)
        changed = set()
        for year in published:
            before = contribution(old, year) if old is not None else None
            after = contribution(new, year) if new is not None else None
            if before != after:
                changed.add(year)
        _check_years(org_id, changed)


def on_pre_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return  # loaddata / restore bring the published snapshot with them
    spec = _spec(sender)
    if spec is None:
        return
    old = None
    if instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).values(*spec[0]).first()
    guard_change(sender, old, instance)


def on_pre_delete(sender, instance, **kwargs) -> None:
    guard_change(sender, instance, None)


def connect() -> None:
    for model in (Application, Appeal, NormativeDocument, YearlyFigures):
        pre_save.connect(on_pre_save, sender=model, dispatch_uid=f"reports_lock_{model.__name__}")
        pre_delete.connect(
            on_pre_delete, sender=model, dispatch_uid=f"reports_lock_del_{model.__name__}"
        )
