"""信息处理费: the fee schedule of 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号).

条例第四十二条: information is provided free of charge; only when the quantity or
frequency of applications clearly exceeds a reasonable range may a body charge
an 信息处理费.  The 办法 fixes two progressive (超额累进) methods, and one
application is charged by one of them, never both:

- 按件计收 (per application): the same applicant's applications in one calendar
  month — up to 10 free; the 11th-30th 100 元 each; from the 31st, every further
  band of 10 applications costs 100 元 more each (31-40: 200, 41-50: 300, ...).
- 按量计收 (per page): up to 30 pages free; 31-100: 10 元/页; 101-200: 20 元/页;
  from 201: 40 元/页.

Amounts are whole 元 (the annual report's section 六 is in 元).  Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
PER_APPLICATION = "per_application"
PER_PAGE = "per_page"
METHODS = {PER_APPLICATION: "按件计收", PER_PAGE: "按量计收"}

FREE_APPLICATIONS = 10
FIRST_PAID_BAND_END = 30  # 11th-30th application
APPLICATION_BASE_FEE = 100  # 元 per application, 11th-30th
APPLICATION_BAND_SIZE = 10  # from the 31st, bands of 10 ...
APPLICATION_BAND_STEP = 100  # ... each 100 元 more per application

# (first page, last page or None, 元 per page) — 按量计收
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


@dataclass(frozen=True)
class FeeBand:
    """One line of the breakdown: items ``first``..``last`` at ``unit`` 元 each."""

    first: int
    last: int
    unit: int  # 元 per application or per page

    @property
    def quantity(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.quantity * self.unit


def _check_count(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}必须是整数")
    if value < 0:
        raise ValueError(f"{what}不能为负数")
    return value


def fee_for_nth_application(n: int) -> int:
    """The fee in 元 for the applicant's n-th application in a calendar month (n >= 1)."""
    _check_count(n, "申请件数")
    if n < 1:
        raise ValueError("申请序号从1开始")
    if n <= FREE_APPLICATIONS:
        return 0
    if n <= FIRST_PAID_BAND_END:
        return APPLICATION_BASE_FEE
    band = (n - FIRST_PAID_BAND_END - 1) // APPLICATION_BAND_SIZE + 1  # 31-40 -> 1
    return APPLICATION_BASE_FEE + band * APPLICATION_BAND_STEP


def application_bands(count_in_month: int) -> tuple[FeeBand, ...]:
    """The bands covering applications 1..count (free band included)."""
    _check_count(count_in_month, "申请件数")
    bands: list[FeeBand] = []
    first = 1
    while first <= count_in_month:
        if first <= FREE_APPLICATIONS:
            end = FREE_APPLICATIONS
        elif first <= FIRST_PAID_BAND_END:
            end = FIRST_PAID_BAND_END
        else:
            end = first + APPLICATION_BAND_SIZE - 1
        last = min(end, count_in_month)
        bands.append(FeeBand(first, last, fee_for_nth_application(first)))
        first = end + 1
    return tuple(bands)


def fee_per_application(count_in_month: int) -> int:
    """Total 元 for ``count_in_month`` applications of one applicant in a calendar month.

    45 applications: 10 free + 20 x 100 + 10 x 200 + 5 x 300 = 5,500 元.
    """
    return sum(band.subtotal for band in application_bands(count_in_month))


def page_bands(pages: int) -> tuple[FeeBand, ...]:
    _check_count(pages, "页数")
    bands: list[FeeBand] = []
    for first, end, unit in PAGE_BANDS:
        if pages < first:
            break
        bands.append(FeeBand(first, pages if end is None else min(end, pages), unit))
    return tuple(bands)


def fee_per_page(pages: int) -> int:
    """元 for providing ``pages`` pages for one application (按量计收).

    150 pages: 30 free + 70 x 10 + 50 x 20 = 1,700 元.
    """
    return sum(band.subtotal for band in page_bands(pages))


@dataclass(frozen=True)
class FeeQuote:
    """The fee for one application, with the text for the 收费通知书.

    ``method``: ``per_application`` or ``per_page``; ``amount`` in 元; ``basis``
    cites the 办法 and gives the band breakdown in Chinese; ``bands`` is the same
    breakdown as data.  For per-application quotes ``bands`` is the month so far
    and ``amount`` the fee of *this* application (the n-th of the month).
    """

    method: str
    amount: int
    basis: str
    bands: tuple[FeeBand, ...]

    @property
    def method_label(self) -> str:
        return METHODS[self.method]


def _band_text(band: FeeBand, noun: str, unit_noun: str) -> str:
    span = (
        f"第{band.first}{noun}" if band.first == band.last else f"第{band.first}—{band.last}{noun}"
    )
    if band.unit == 0:
        return f"{span}免费"
    return f"{span}{band.quantity}{noun}×{band.unit}元/{unit_noun}={band.subtotal:,}元"


def quote(
    *,
    method: str,
    applications_in_month: int | None = None,
    pages: int | None = None,
) -> FeeQuote:
    """Quote the 信息处理费 of one application by one method.

    ``per_application``: ``applications_in_month`` is this application's number
    among the applicant's applications this calendar month (itself included).
    ``per_page``: ``pages`` is the number of pages provided for this application.
    """
    if applications_in_month is not None and pages is not None:
        raise ValueError(f"同一申请只能选择按件计收或按量计收中的一种方式，不得同时适用（{BASIS}）")
    if method == PER_APPLICATION:
        if applications_in_month is None:
            raise ValueError("按件计收须填写申请人本自然月内的申请件数")
        n = _check_count(applications_in_month, "申请件数")
        if n < 1:
            raise ValueError("按件计收的申请件数至少为1（含本件）")
        amount = fee_for_nth_application(n)
        bands = application_bands(n)
        parts = "；".join(_band_text(b, "件", "件") for b in bands)
        if amount == 0:
            verdict = f"本件为本月第{n}件，在{FREE_APPLICATIONS}件以内，不收取信息处理费"
        else:
            verdict = f"本件为本月第{n}件，按{amount}元/件计收信息处理费{amount:,}元"
        basis = (
            f"依据《中华人民共和国政府信息公开条例》第四十二条和{BASIS}，按件计收：同一申请人"
            f"一个自然月内累计申请10件以下（含10件）的不收费，第11—30件每件100元，"
            f"第31件起以10件为一档、每增加一档每件增加100元。申请人本月累计{n}件：{parts}"
            f"（本月累计{fee_per_application(n):,}元）。{verdict}。"
        )
        return FeeQuote(PER_APPLICATION, amount, basis, bands)
    if method == PER_PAGE:
        if pages is None:
            raise ValueError("按量计收须填写页数")
        count = _check_count(pages, "页数")
        bands = page_bands(count)
        amount = sum(b.subtotal for b in bands)
        parts = "；".join(_band_text(b, "页", "页") for b in bands) or "0页"
        verdict = "不收取信息处理费" if amount == 0 else f"合计{amount:,}元"
        basis = (
            f"依据《中华人民共和国政府信息公开条例》第四十二条和{BASIS}，按量计收：30页以下"
            f"（含30页）不收费，第31—100页每页10元，第101—200页每页20元，第201页起每页40元。"
            f"本件共{count}页：{parts}。{verdict}。"
        )
        return FeeQuote(PER_PAGE, amount, basis, bands)
    raise ValueError(
        f"未知的计费方式“{method}”，应为按件计收（per_application）或按量计收（per_page）"
    )
