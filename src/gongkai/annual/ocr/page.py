"""One scanned page -> lines of text and lines of table cells, each with a confidence.

The page is straightened first (the skew is measured on the long ruling lines
of its tables), then the tables are found from their ruling lines: every
region closed by lines is a cell, merged cells included, and a cell that spans
several rows belongs to the row where it starts -- the same rows pdfplumber
gives for a PDF with a text layer, so the shared row-matching engine reads
them the same way.  Inside a cell the ink is cut into text lines by its
horizontal projection and each line is read by the recogniser alone (no text
detector: a lone "0" in a wide cell is exactly what detectors miss).  A cell
without ink is blank -- never 0.  The text outside the tables (title, headings,
prose) goes through the detector and the recogniser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Ink darker than this (0 black .. 255 white) after adaptive thresholding.
_MIN_TABLE_W = 0.25  # a table is at least this share of the page width
_MIN_TABLE_H = 20  # pixels
_MIN_CELL = 8  # pixels, either side
_MAX_SKEW = 5.0  # degrees


@dataclass
class TextBox:
    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class PageLine:
    """A line of the page in reading order: text, or the cells of one table row."""

    top: float
    text: str
    confidence: float
    cells: list[str] | None = None
    cell_confidence: list[float | None] | None = None
    table: int | None = None  # 1-based table number on the page
    row: int | None = None  # 1-based row number in that table


def to_gray(image) -> np.ndarray:
    """A PIL image or array -> 2-D uint8 grey array."""
    if isinstance(image, np.ndarray):
        arr = image
    else:
        arr = np.asarray(image.convert("L"))
    if arr.ndim == 3:
        import cv2

        arr = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(arr, dtype=np.uint8)


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    # Adaptive: scans have uneven backgrounds and grey seals; ink = 255.
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )


def _line_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    h, w = ink.shape
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(30, w // 25), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 60)))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk)
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)
    return horizontal, vertical


def skew_angle(gray: np.ndarray) -> float:
    """The page's rotation in degrees, from its long horizontal rules (0 without rules)."""
    import cv2

    ink = _ink(gray)
    h, w = ink.shape
    # A short kernel still catches a rule rotated a few degrees, piece by piece.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, w // 40), 1))
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    angles, weights = [], []
    labels = cv2.connectedComponentsWithStats(rules, connectivity=8)[1]
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * _MIN_TABLE_W:
            continue
        ys, xs = np.nonzero(labels[y : y + bh, x : x + bw] == i)
        if len(xs) < 50:
            continue
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angle = float(np.degrees(np.arctan(slope)))
        if abs(angle) <= _MAX_SKEW:
            angles.append(angle)
            weights.append(bw)
    if not angles:
        return 0.0
    return float(np.average(angles, weights=weights))


def deskew(gray: np.ndarray) -> np.ndarray:
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


@dataclass
class _Cell:
    x0: int
    y0: int
    x1: int
    y1: int


@dataclass
class _Table:
    x0: int
    y0: int
    x1: int
    y1: int
    cells: list[_Cell]


def find_tables(gray: np.ndarray) -> list[_Table]:
    """Ruled tables: the regions enclosed by the ruling lines are the cells."""
    import cv2

    ink = _ink(gray)
    h, w = ink.shape
    horizontal, vertical = _line_masks(ink)
    grid = cv2.bitwise_or(horizontal, vertical)
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables: list[_Table] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * _MIN_TABLE_W or bh < _MIN_TABLE_H:
            continue
        region = grid[y : y + bh, x : x + bw].copy()
        # A table cut by the page end has no bottom rule (it goes on overleaf):
        # the ends of its vertical rules close its last row.
        cv2.rectangle(region, (0, 0), (bw - 1, bh - 1), 255, thickness=3)
        holes = cv2.bitwise_not(region)
        m, _, cstats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
        cells = []
        for j in range(1, m):
            cx, cy, cw, ch, _ = cstats[j]
            if cw < _MIN_CELL or ch < _MIN_CELL:
                continue
            cells.append(_Cell(x + cx, y + cy, x + cx + cw, y + cy + ch))
        if len(cells) >= 2:
            tables.append(_Table(x, y, x + bw, y + bh, cells))
    tables.sort(key=lambda t: t.y0)
    return tables


def _cell_rows(cells: list[_Cell]) -> list[list[_Cell]]:
    """Cells grouped by the row where they start (merged cells in their first row)."""
    ordered = sorted(cells, key=lambda c: c.y0)
    rows: list[list[_Cell]] = []
    tops: list[int] = []
    for cell in ordered:
        if tops and abs(cell.y0 - tops[-1]) <= 6:
            rows[-1].append(cell)
        else:
            rows.append([cell])
            tops.append(cell.y0)
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _text_strips(ink: np.ndarray, cell: _Cell) -> list[tuple[int, int, int, int]]:
    """The text lines inside a cell: (x0, y0, x1, y1) boxes of ink, top to bottom."""
    pad = 3
    x0, y0, x1, y1 = cell.x0 + pad, cell.y0 + pad, cell.x1 - pad, cell.y1 - pad
    if x1 <= x0 or y1 <= y0:
        return []
    region = ink[y0:y1, x0:x1]
    rows = region.sum(axis=1) // 255
    strips: list[tuple[int, int]] = []
    start = None
    for i, count in enumerate(rows):
        if count > 0 and start is None:
            start = i
        elif count == 0 and start is not None:
            strips.append((start, i))
            start = None
    if start is not None:
        strips.append((start, len(rows)))
    boxes = []
    for top, bottom in strips:
        band = region[top:bottom]
        if int(band.sum()) // 255 < 6 or bottom - top < 3:  # specks of dust, not glyphs
            continue
        cols = np.nonzero(band.sum(axis=0))[0]
        boxes.append((x0 + int(cols[0]), y0 + top, x0 + int(cols[-1]) + 1, y0 + bottom))
    return _merge_strips(boxes)


def _merge_strips(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join strips split inside one text line (the two parts of 二, a colon's dots)."""
    if not boxes:
        return boxes
    heights = sorted(b[3] - b[1] for b in boxes)
    full = heights[len(heights) // 2]
    merged = [boxes[0]]
    for box in boxes[1:]:
        last = merged[-1]
        gap = box[1] - last[3]
        short = (last[3] - last[1]) < full * 0.6 or (box[3] - box[1]) < full * 0.6
        if short and gap < full * 0.5 and (box[3] - last[1]) <= full * 1.4:
            merged[-1] = (min(last[0], box[0]), last[1], max(last[2], box[2]), box[3])
        else:
            merged.append(box)
    return merged


def _crop(gray: np.ndarray, box: tuple[int, int, int, int], pad: int = 2) -> np.ndarray:
    h, w = gray.shape
    x0, y0, x1, y1 = box
    crop = gray[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - pad) : min(w, x1 + pad)]
    import cv2

    # The recogniser was trained on text lines with a margin; give it white space.
    border = max(2, (y1 - y0) // 8)
    return cv2.copyMakeBorder(crop, border, border, border, border, cv2.BORDER_CONSTANT, value=255)


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if (
            out
            and out[-1].isascii()
            and out[-1].isalpha()
            and part[0].isascii()
            and part[0].isalpha()
        ):
            out += " "
        out += part
    return out


def read_page(gray: np.ndarray, recognizer) -> list[PageLine]:
    """The lines of one page image in reading order."""
    import cv2

    gray = deskew(to_gray(gray))
    tables = find_tables(gray)
    ink = _ink(gray)
    lines: list[PageLine] = []
    crops: list[np.ndarray] = []
    owners: list[tuple[int, int, int]] = []  # (line index, cell index, strip index)
    for tno, table in enumerate(tables, start=1):
        for rno, row in enumerate(_cell_rows(table.cells), start=1):
            line = PageLine(top=row[0].y0, text="", confidence=1.0, table=tno, row=rno)
            line.cells = []
            line.cell_confidence = []
            for cno, cell in enumerate(row):
                strips = _text_strips(ink, cell)
                line.cells.append("")
                line.cell_confidence.append(None)
                for sno, box in enumerate(strips):
                    crops.append(_crop(gray, box))
                    owners.append((len(lines), cno, sno))
            lines.append(line)
    if crops:
        results = recognizer.recognise(crops)
        parts: dict[tuple[int, int], list[tuple[int, str, float]]] = {}
        for (li, ci, si), (text, conf) in zip(owners, results, strict=True):
            parts.setdefault((li, ci), []).append((si, text, conf))
        for (li, ci), found in parts.items():
            found.sort()
            line = lines[li]
            assert line.cells is not None and line.cell_confidence is not None
            line.cells[ci] = _join([t for _, t, _ in found])
            line.cell_confidence[ci] = min(c for _, _, c in found)
    for line in lines:
        assert line.cells is not None and line.cell_confidence is not None
        line.text = "\t".join(line.cells)
        known = [c for c in line.cell_confidence if c is not None]
        line.confidence = min(known) if known else 1.0
    # Text outside the tables: blank the tables out and detect + recognise the rest.
    masked = gray.copy()
    for table in tables:
        cv2.rectangle(masked, (table.x0, table.y0), (table.x1, table.y1), 255, thickness=-1)
    for box_line in _group_lines(recognizer.detect_and_recognise(masked)):
        lines.append(box_line)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _group_lines(boxes: list[TextBox]) -> list[PageLine]:
    """Detected text boxes -> lines: boxes that overlap vertically, left to right."""
    boxes = sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2)
    groups: list[list[TextBox]] = []
    for box in boxes:
        mid = (box.y0 + box.y1) / 2
        if groups:
            last = groups[-1]
            top = min(b.y0 for b in last)
            bottom = max(b.y1 for b in last)
            if top <= mid <= bottom:
                last.append(box)
                continue
        groups.append([box])
    lines = []
    for group in groups:
        group.sort(key=lambda b: b.x0)
        text = "  ".join(b.text for b in group)
        lines.append(
            PageLine(
                top=min(b.y0 for b in group),
                text=text,
                confidence=min(b.confidence for b in group),
            )
        )
    return lines
