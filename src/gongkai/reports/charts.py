"""Server-rendered inline SVG charts for the 图解 page (no JavaScript, no CDN).

Pure: data in, SVG markup out.  Each chart scales with its container
(``viewBox`` + ``width:100%``), carries ``role="img"`` and a ``<title>`` and is
always accompanied in the page by the same numbers as a table, so it reads on
a phone, prints in black and white and works with a screen reader.
"""

from __future__ import annotations

from html import escape

PALETTE = ("#8b1a1a", "#c0504d", "#d99694", "#4f6228", "#9bbb59", "#1f497d", "#8064a2", "#777")


def _svg(width: int, height: int, title: str, body: str) -> str:
    t = escape(title)
    return (
        f'<svg class="rp-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{t}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="16"><title>{t}</title>{body}</svg>'
    )


def _short(label: object, limit: int = 8) -> str:
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, int | float]], unit: str = "件") -> str:
    """Horizontal bars, one per (label, value); zeros still get a row."""
    # Narrow viewBox and large type: readable when scaled down to a phone's width.
    width, label_w, row_h, top = 480, 140, 34, 8
    height = top * 2 + row_h * max(1, len(items))
    peak = max((v for _, v in items), default=0) or 1
    span = width - label_w - 60
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = span * (value / peak) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 22}" text-anchor="end">{escape(_short(label))}'
            f"<title>{escape(str(label))}</title></text>"
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="{row_h - 12}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 22}">{value:g}{escape(unit)}</text>'
        )
    if not items:
        parts.append(f'<text x="{width / 2}" y="{top + 19}" text-anchor="middle">暂无数据</text>')
    return _svg(width, height, title, "".join(parts))


def trend_chart(title: str, years: list[int], series: dict[str, list[int]]) -> str:
    """Grouped vertical bars: one group per year, one bar per series, with a legend."""
    width, height, left, bottom, top = 480, 300, 20, 56, 24
    names = list(series)
    peak = max((v for vals in series.values() for v in vals), default=0) or 1
    plot_h = height - top - bottom
    group_w = (width - left - 10) / max(1, len(years))
    bar_w = min(36.0, (group_w - 12) / max(1, len(names)))
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" '
        'stroke="#333"/>'
    ]
    for gi, year in enumerate(years):
        gx = left + gi * group_w + (group_w - bar_w * len(names)) / 2
        for si, name in enumerate(names):
            value = series[name][gi]
            h = plot_h * value / peak
            x = gx + si * bar_w
            y = height - bottom - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}"><title>{year}年 {escape(name)}：{value}</title></rect>'
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="14">{value}</text>'
            )
        parts.append(
            f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{year}年</text>'
        )
    lx = left
    for si, name in enumerate(names):
        parts.append(
            f'<rect x="{lx}" y="{height - 22}" width="14" height="14" '
            f'fill="{PALETTE[si % len(PALETTE)]}"/>'
            f'<text x="{lx + 18}" y="{height - 10}">{escape(name)}</text>'
        )
        lx += 28 + 16 * len(name)
    return _svg(width, height, title, "".join(parts))
