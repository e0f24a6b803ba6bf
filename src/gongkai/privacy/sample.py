"""Synthetic 公示 tables (惠农补贴 / 低保 / 危房改造) for tests, benchmarks and demos.

Every person is invented: names from common characters, ID numbers built with
a real check character from a handful of district codes, Luhn-valid 62-prefixed
card numbers, 1[3-9] mobile numbers.  Some rows carry an ID number whose check
character is deliberately wrong (a typo the scanner must not call an ID).
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.privacy.scanner import _ID_CHECK, _ID_WEIGHTS

HEADER = ["序号", "姓名", "身份证号", "村组", "补贴金额（元）", "银行卡号", "联系电话", "备注"]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国建华春梅海燕志强德明"
_VILLAGES = ["张家", "李家", "王庄", "柳树", "石桥", "新华", "红旗", "双河", "青山", "和平"]
_DISTRICTS = ["110101", "320102", "420106", "510104", "430102", "370102", "410102", "610113"]
_NOTES = ["", "", "", "户主", "低保户", "脱贫户", "五保户", "已核实", "重点帮扶", "危房改造C级"]
_MOBILE_PREFIXES = ["130", "135", "138", "139", "150", "158", "166", "177", "186", "199"]


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def make_id(rng: random.Random, *, valid: bool = True) -> str:
    birth = date(1930, 1, 1) + timedelta(days=rng.randrange(80 * 365))
    first17 = f"{rng.choice(_DISTRICTS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    check = id_check_char(first17)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return first17 + check


def make_card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(16))  # 18 digits + check = 19
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


@dataclass
class SampleTable:
    rows: list[list[str]]  # the header first
    valid_id_rows: set[int]  # row indexes whose ID cell holds a valid number
    invalid_id_rows: set[int]  # row indexes whose ID has a wrong check character


def make_table(n_rows: int, *, seed: int = 2024, invalid_share: float = 0.1) -> SampleTable:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not cryptography
    rows = [list(HEADER)]
    valid_rows: set[int] = set()
    invalid_rows: set[int] = set()
    for i in range(1, n_rows + 1):
        valid = rng.random() >= invalid_share
        (valid_rows if valid else invalid_rows).add(i)
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        rows.append(
            [
                str(i),
                name,
                make_id(rng, valid=valid),
                f"{rng.choice(_VILLAGES)}村{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
                f"{rng.randint(3, 300) * 10:,}.00",
                make_card(rng),
                rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                rng.choice(_NOTES),
            ]
        )
    return SampleTable(rows, valid_rows, invalid_rows)


def table_text(rows: list[list[str]]) -> str:
    """The table as tab-separated text, as it is pasted from a spreadsheet."""
    return "\n".join("\t".join(row) for row in rows)


def table_html(rows: list[list[str]]) -> str:
    """The table as Word puts it on the clipboard (and into an item body): a
    title row across the table, attributes, a paragraph and a span in each cell."""
    width = max(len(row) for row in rows)
    head = (
        f'<tr><td colspan="{width}"><p class="MsoNormal" align="center">'
        "<b>公示名单</b></p></td></tr>"
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td width="80" valign="top"><p class="MsoNormal"><span lang="EN-US">{cell}'
            "</span></p></td>"
            for cell in row
        )
        + "</tr>\n"
        for row in rows
    )
    return f'<table class="MsoTableGrid" border="1" cellspacing="0">{head}{body}</table>'


def table_spaced(rows: list[list[str]]) -> str:
    """The table as space-separated lines (text copied out of a PDF); an empty
    cell is written as a dash so the columns stay countable."""
    return "\n".join(" ".join(cell or "—" for cell in row) for row in rows)
