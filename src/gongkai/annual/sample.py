"""Example reports: a complete valid report for demos and tests, and a generator of
random VALID reports (every consistency rule holds) for round-trip and property tests.

The numbers are invented; the shape is the national 2021 format.
"""

from __future__ import annotations

import random
from decimal import Decimal

from gongkai.annual import format as fmt
from gongkai.annual.model import Report, SectionText


def _prose(report: Report, rng: random.Random | None = None) -> dict[int, SectionText]:
    """Six sections whose quoted figures agree with the tables (rule 8)."""
    c = report.cells
    year = report.year
    org = report.organization or "本机关"
    new = c["t3.new.total"]
    carried = c["t3.carried.total"]
    closed = c["t3.total.total"]
    forward = c["t3.carry_forward.total"]
    rec = c["t4.reconsideration.total"]
    lit = c["t4.litigation_direct.total"] + c["t4.litigation_after.total"]
    normative = c["t2.normative.in_force"]
    fee_yuan = rng.choice([0, 0, 0, 100, 250]) if rng else 0
    if new + carried == 0:
        fee_yuan = 0
    # Varied wording so that two random reports do not look copied (rule 11).
    words = [
        "坚持以人民为中心，围绕主动公开、依申请公开、政府信息管理等方面深化政务公开。",
        "严格执行保密审查制度，对拟公开的信息实行先审查、后公开。",
        "围绕重点领域信息公开，及时发布财政预决算、重大建设项目和公共资源配置信息。",
        "加强政策解读，通过图解、问答、访谈等形式回应社会关切。",
        "完善政府网站信息公开专栏，规范栏目设置，提升检索和移动端访问体验。",
        "健全依申请公开登记、审核、答复流程，规范答复文书格式。",
        "开展政务公开业务培训，提升工作人员的政策水平和业务能力。",
        "落实政务公开工作考核，接受社会评议和群众监督。",
        "推进基层政务公开标准化规范化建设，梳理公开事项目录。",
        "利用政务新媒体、公示栏、便民服务中心等渠道扩大信息覆盖面。",
    ]
    if rng is not None:
        rng.shuffle(words)
        tail = f"本年度共开展专项检查{rng.randint(1, 40)}次，编号{rng.randint(1000, 99999)}。"
    else:
        tail = ""
    s1 = (
        f"{year}年，{org}{words[0]}{words[1]}\n"
        f"（一）主动公开方面：{words[2]}现行有效行政规范性文件{normative}件。\n"
        f"（二）依申请公开方面：{year}年共收到政府信息公开申请{new}件，"
        f"办结{closed}件，结转下年度继续办理{forward}件，均在法定期限内答复。"
        f"发生政府信息公开行政复议{rec}件，行政诉讼{lit}件。\n"
        f"（三）政府信息管理方面：{words[3]}\n"
        f"（四）平台建设方面：{words[4]}\n"
        f"（五）监督保障方面：{words[5]}{tail}"
    )
    s5 = (
        f"（一）存在的主要问题：{words[6]}仍需加强。\n"
        f"（二）改进情况：针对上年度指出的问题，{words[7]}{words[8]}"
    )
    s6 = f"{words[9]}本年度收取政府信息公开信息处理费{fee_yuan}元。"
    texts = {
        1: s1,
        2: "本年度主动公开政府信息情况如下表。",
        3: "本年度收到和处理政府信息公开申请情况如下表。",
        4: "本年度政府信息公开行政复议、行政诉讼情况如下表。",
        5: s5,
        6: s6,
    }
    return {
        s.number: SectionText(number=s.number, heading=s.title, text=texts[s.number])
        for s in fmt.SECTIONS
    }


def _fill_valid(
    report: Report, rng: random.Random, *, busy: int = 20, regulations: bool = False
) -> None:
    """Fill every cell with numbers for which rules 1-4, 7 and 9 hold."""
    cells = report.cells
    for row in ("regulations", "normative"):
        make = regulations or row == "normative"
        issued = rng.randint(0, 10) if make else 0
        abolished = rng.randint(0, 5) if make else 0
        in_force = (rng.randint(0, 60) + abolished) if make else 0
        cells[f"t2.{row}.issued"] = issued
        cells[f"t2.{row}.abolished"] = abolished
        cells[f"t2.{row}.in_force"] = in_force
    cells["t2.licensing"] = rng.randint(0, 50_000)
    cells["t2.penalty"] = rng.randint(0, 5_000)
    cells["t2.coercion"] = rng.randint(0, 500)
    cells["t2.fees"] = Decimal(rng.randint(0, 10**8)).scaleb(-rng.randint(0, 6))

    results = fmt.T3_RESULT_ROWS_ONE_ROW_OTHER if report.one_row_other else fmt.T3_RESULT_ROWS
    rows_by_col: dict[str, dict[str, int]] = {}
    for col in fmt.T3_APPLICANT_COLUMNS:
        scale = busy if col == "natural" else max(1, busy // 5)
        values = {
            r: (rng.randint(0, scale) if r in ("granted", "partial") or rng.random() < 0.4 else 0)
            for r in results
        }
        total = sum(values.values())
        forward = rng.randint(0, max(1, scale // 4))
        cap = min(total + forward, max(1, scale // 3))
        carried = rng.randint(0, cap) if rng.random() < 0.5 else 0
        values["total"] = total
        values["carry_forward"] = forward
        values["carried"] = carried
        values["new"] = total + forward - carried
        rows_by_col[col] = values
    for row in [*results, "total", "carry_forward", "carried", "new"]:
        for col in fmt.T3_APPLICANT_COLUMNS:
            cells[f"t3.{row}.{col}"] = rows_by_col[col][row]
        cells[f"t3.{row}.total"] = sum(rows_by_col[c][row] for c in fmt.T3_APPLICANT_COLUMNS)

    for block, _ in fmt.T4_BLOCKS:
        parts = [rng.randint(0, 5) if rng.random() < 0.5 else 0 for _ in fmt.T4_PART_COLUMNS]
        for col, value in zip(fmt.T4_PART_COLUMNS, parts, strict=True):
            cells[f"t4.{block}.{col}"] = value
        cells[f"t4.{block}.total"] = sum(parts)
    # Printed order, as a reader would produce them.
    order = fmt.all_keys(one_row_other=report.one_row_other)
    report.cells = {k: cells[k] for k in order}


def random_report(
    rng: random.Random,
    *,
    one_row_other: bool | None = None,
    level: str | None = None,
    year: int | None = None,
) -> Report:
    """A random VALID 2021-format report with prose: the checker finds nothing."""
    if one_row_other is None:
        one_row_other = rng.random() < 0.2
    level = level or rng.choice([k for k, _ in fmt.LEVELS])
    year = year or rng.randint(2021, 2030)
    names = {
        "province": "某某省人民政府",
        "city": "某某市人民政府",
        "county": "某某县人民政府",
        "town": "某某镇人民政府",
        "department": "某某县交通运输局",
    }
    organization = names[level].replace("某某", rng.choice(["青山", "东湖", "临河", "北塘"]))
    report = Report(
        organization=organization,
        year=year,
        one_row_other=one_row_other,
        title=f"{organization}{year}年政府信息公开工作年度报告",
        level=level,
    )
    _fill_valid(
        report,
        rng,
        busy=rng.choice([0, 3, 20, 200]),
        regulations=level in fmt.LEVELS_MAKING_REGULATIONS,
    )
    report.sections = _prose(report, rng)
    return report


def seed_like_report() -> Report:
    """A complete valid example: a county-level government's 2024 report."""
    rng = random.Random(20240101)  # noqa: S311 - invented sample numbers, not secrets
    report = Report(
        organization="青山县人民政府",
        year=2024,
        title="青山县人民政府2024年政府信息公开工作年度报告",
        level="county",
        source="sample",
    )
    _fill_valid(report, rng, busy=12, regulations=False)
    report.cells["t2.fees"] = Decimal("1234.567800")
    report.sections = _prose(report, None)
    return report
