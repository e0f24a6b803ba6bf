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
from datetime import date, timedelta

from django.core.exceptions import ValidationError

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
    from .models import ReportCorrection

    return set(
        ReportCorrection.objects.filter(
            report__organization_id=org_id, recorded_at__isnull=True
        ).values_list("report__year", flat=True)
    )


def assert_year_open(org, year: int, correction=None) -> None:
    """Raise :class:`YearLocked` if ``org``'s report for ``year`` is published.

    ``correction`` is the ReportCorrection in progress (or anything true when the
    caller runs inside ``services.report_correction_record``)."""
    from .selectors import published_years

    org_id = getattr(org, "pk", org)
    if (org_id, year) in _open_for.get() or correction is not None:
        return
    if year in published_years(org_id) and year not in open_correction_years(org_id):
        name = getattr(org, "name", "本机关")
        raise YearLocked(_locked_message(name, year))


def _check_years(org_id: int | None, years: set[int]) -> None:
    if org_id is None or not years:
        return
    from gongkai.organizations.models import Organization

    from .selectors import published_years

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
# carried over from 2024 leaves 2024 -- where it was "结转" -- untouched).


def _get(obj, name):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


def _application(obj, year: int):
    # Same definitions as applications.selectors.table3_counts.
    received, reply = _get(obj, "received_on"), _get(obj, "reply_on")
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    if received is None or received > dec31 or (reply is not None and reply < jan1):
        return None
    closed_in_year = reply is not None and reply <= dec31
    return (
        _get(obj, "organization_id"),
        _get(obj, "applicant_type"),
        received >= jan1,
        received < jan1,
        _get(obj, "outcome") if closed_in_year else None,
        not closed_in_year,
    )


def _appeal(obj, year: int):
    # Same definitions as appeals.selectors.table4_counts.
    filed, decided = _get(obj, "filed_on"), _get(obj, "decided_on")
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    if filed is None or filed > dec31 or (decided is not None and decided < jan1):
        return None
    decided_in_year = decided is not None and decided <= dec31
    return (
        _get(obj, "organization_id"),
        _get(obj, "kind"),
        _get(obj, "result") if decided_in_year else None,
    )


def _normative(obj, year: int):
    # Same definitions as the table (selectors.table2_counts, disclosure.selectors.
    # normative_counts): issued in the year; went out of force in the year (废止和失效);
    # in force on 31 December.  "In force" is the register's one definition,
    # NormativeDocument.in_force_on -- the Python twin of normative_in_force_q; a row
    # here may be unsaved (pre_save), so a query cannot answer.
    from gongkai.disclosure.models import NormativeDocument

    if _get(obj, "issued_on") is None:
        return None
    doc = (
        obj
        if isinstance(obj, NormativeDocument)
        else NormativeDocument(**{f: _get(obj, f) for f in NORMATIVE_FIELDS})
    )
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    issued_in_year = jan1 <= doc.issued_on <= dec31
    in_force = doc.in_force_on(dec31)
    went_out = (
        doc.issued_on <= dec31
        and not in_force
        and (issued_in_year or doc.in_force_on(jan1 - timedelta(days=1)))
    )
    parts = (issued_in_year, went_out, in_force)
    if not any(parts):
        return None
    return (_get(obj, "organization_id"), _get(obj, "kind"), *parts)


def _figures(obj, year: int):
    if _get(obj, "year") != year:
        return None
    return tuple(_get(obj, f) for f in FIGURES_FIELDS)


APPLICATION_FIELDS = (
    "organization_id",
    "received_on",
    "reply_on",
    "outcome",
    "applicant_type",
)
APPEAL_FIELDS = ("organization_id", "kind", "filed_on", "decided_on", "result")
NORMATIVE_FIELDS = (
    "organization_id",
    "kind",
    "issued_on",
    "abolished_on",
    "expired_on",
    "valid_until",
)
FIGURES_FIELDS = ("organization_id", "year", "licensing", "penalty", "coercion", "fees")


def _spec(sender):
    from gongkai.appeals.models import Appeal
    from gongkai.applications.models import Application
    from gongkai.disclosure.models import NormativeDocument, YearlyFigures

    return {
        Application: (APPLICATION_FIELDS, _application),
        Appeal: (APPEAL_FIELDS, _appeal),
        NormativeDocument: (NORMATIVE_FIELDS, _normative),
        YearlyFigures: (FIGURES_FIELDS, _figures),
    }.get(sender)


def guard_change(sender, old, new) -> None:
    """Raise YearLocked if replacing ``old`` by ``new`` (either may be None) changes
    a published year's cells outside a correction."""
    from .selectors import published_years

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
    from django.db.models.signals import pre_delete, pre_save

    from gongkai.appeals.models import Appeal
    from gongkai.applications.models import Application
    from gongkai.disclosure.models import NormativeDocument, YearlyFigures

    for model in (Application, Appeal, NormativeDocument, YearlyFigures):
        pre_save.connect(on_pre_save, sender=model, dispatch_uid=f"reports_lock_{model.__name__}")
        pre_delete.connect(
            on_pre_delete, sender=model, dispatch_uid=f"reports_lock_del_{model.__name__}"
        )
