"""Privacy scanner throughput on a generated 10,000-row 公示 table.

Prints rows/s for ``scan`` over the table as pasted text (tab-separated, as
Word's HTML, space-separated), for ``scan_table`` over the cells, and for a
baseline — a bare ``re.findall`` of 18-character ID-shaped runs over the
tab-separated text — measured in the same run (best of 5).  Every figure
should stay under 1 s.
"""

from __future__ import annotations

import re
import time

from gongkai.privacy import scan, scan_table
from gongkai.privacy.sample import make_table, table_html, table_spaced, table_text

ROWS = 10_000
REPEAT = 5


def _best(func) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def run(out) -> None:
    table = make_table(ROWS, seed=2024)
    text = table_text(table.rows)
    html = table_html(table.rows)
    spaced = table_spaced(table.rows)
    baseline = re.compile(r"\d{17}[\dXx]")
    figures = [
        ("baseline re.findall(r'\\d{17}[\\dXx]')", _best(lambda: baseline.findall(text))),
        ("scan(text), all kinds", _best(lambda: scan(text))),
        ("scan(text, kinds=['id_card'])", _best(lambda: scan(text, kinds=["id_card"]))),
        ("scan(html), all kinds", _best(lambda: scan(html))),
        ("scan(space-separated), all kinds", _best(lambda: scan(spaced))),
        ("scan_table(rows), all kinds", _best(lambda: scan_table(table.rows))),
    ]
    out.write(
        f"{ROWS:,} rows x {len(table.rows[0])} columns, {len(text):,} characters "
        f"({len(html):,} as HTML)\n"
    )
    for name, seconds in figures:
        out.write(f"  {name:<42} {seconds * 1000:8.1f} ms  {ROWS / seconds:12,.0f} rows/s\n")


if __name__ == "__main__":
    import sys

    run(sys.stdout)
