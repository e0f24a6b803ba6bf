"""Benchmark of ``gongkai check``: reports per second of read + rules, per input format.

Inputs are generated with the writers (text, HTML, DOCX: random valid reports)
and, for PDF, taken from ../shared/corpus/*.pdf when present, else converted
from a generated DOCX with LibreOffice when ``soffice`` is installed.  Every
figure is measured beside its baseline in the same run:

- text / HTML: reading the raw bytes of the same files (the floor of any checker);
- PDF: pdfplumber alone opening each file and extracting the text of every page.

Targets: >= 300 text or HTML reports/s on one core; PDF within 2x of plain
pdfplumber extraction.  Times are CPU seconds of this process
(``time.process_time``), the best of REPEATS passes: the machines are shared,
and wall-clock figures of one pass moved by a factor of two between runs.
``--quick`` (GONGKAI_BENCH_QUICK=1): fewer files, one PDF round.  Peak memory: tracemalloc's peak over one pass per format
(a separate pass, so tracing does not slow the timed one) and the process's
maximum resident set size.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from gongkai.annual import rules
from gongkai.annual.readers import read_path
from gongkai.annual.sample import random_report
from gongkai.annual.writers import write

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QUICK = os.environ.get("GONGKAI_BENCH_QUICK") == "1" or "--quick" in sys.argv
COUNTS = {"text": 100, "html": 100, "docx": 20} if QUICK else {"text": 400, "html": 400, "docx": 60}
PDF_ROUNDS = 1 if QUICK else 3
REPEATS = 3
TEXT_TARGET = 300.0  # reports/s
PDF_FACTOR = 2.0  # at most 2x plain pdfplumber extraction


def _check_file(path: Path) -> int:
    report = read_path(path)
    return len(rules.check(report))


def _parse_and_check(path: Path) -> int:
    """The same work without read_path's file handling (for the memory figure)."""
    from gongkai.annual.readers import read_bytes

    return len(rules.check(read_bytes(path.read_bytes(), name=path.name)))


def _read_bytes(path: Path) -> int:
    return len(path.read_bytes())


def _pdfplumber_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def _timed(paths: list[Path], fn: Callable[[Path], int]) -> float:
    """CPU seconds of one pass over ``paths``, the best of REPEATS."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        for path in paths:
            fn(path)
        best = min(best, time.process_time() - start)
    return best


def _peak_mb(paths: list[Path], fn: Callable[[Path], int]) -> float:
    tracemalloc.start()
    try:
        for path in paths:
            fn(path)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _generate(folder: Path, to: str, count: int, rng: random.Random) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"r{i:04}.{'txt' if to == 'text' else to}"
        path.write_bytes(write(random_report(rng), to))
        paths.append(path)
    return paths


def _pdf_inputs(folder: Path, rng: random.Random) -> tuple[list[Path], str]:
    corpus = sorted((SHARED / "corpus").glob("*.pdf"))
    if corpus:
        return corpus, f"{len(corpus)} corpus PDFs x {PDF_ROUNDS}"
    if shutil.which("soffice"):
        docx = folder / "gen.docx"
        docx.write_bytes(write(random_report(rng), "docx"))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
            check=False,
            capture_output=True,
            timeout=180,
        )
        pdf = folder / "gen.pdf"
        if pdf.exists():
            return [pdf], f"1 PDF converted by LibreOffice x {PDF_ROUNDS}"
    return [], "no PDF input"


def run(out) -> None:
    rng = random.Random(2024)
    rows: list[tuple[str, ...]] = []
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = Path(tmp)
        for to, count in COUNTS.items():
            sub = folder / to
            sub.mkdir()
            paths = _generate(sub, to, count, rng)
            _check_file(paths[0])  # imports and caches outside the timing
            seconds = _timed(paths, _check_file)
            base = _timed(paths, _read_bytes)
            peak = _peak_mb(paths[:50], _check_file)
            parse_peak = _peak_mb(paths[:50], _parse_and_check)
            rate = count / seconds
            rows.append(
                (
                    to,
                    str(count),
                    f"{seconds:.2f}",
                    f"{rate:.0f}",
                    f"bytes read {count / base:.0f}/s",
                    f"{seconds / base:.0f}x",
                    f"{peak:.1f}",
                    f"{parse_peak:.1f}",
                )
            )
            if to in ("text", "html"):
                ok = rate >= TEXT_TARGET
                verdicts.append(
                    f"{to}: {rate:.0f} reports/s, target >= {TEXT_TARGET:.0f}: {'met' if ok else 'MISSED'}"
                )
        pdfs, how = _pdf_inputs(folder, rng)
        if pdfs:
            paths = pdfs * PDF_ROUNDS
            _check_file(paths[0])
            _pdfplumber_text(paths[0])
            base = _timed(paths, _pdfplumber_text)
            seconds = _timed(paths, _check_file)
            peak = _peak_mb(pdfs, _check_file)
            parse_peak = _peak_mb(pdfs, _parse_and_check)
            ratio = seconds / base
            rows.append(
                (
                    "pdf",
                    str(len(paths)),
                    f"{seconds:.2f}",
                    f"{len(paths) / seconds:.1f}",
                    f"pdfplumber text {len(paths) / base:.1f}/s",
                    f"{ratio:.2f}x",
                    f"{peak:.1f}",
                    f"{parse_peak:.1f}",
                )
            )
            verdicts.append(
                f"pdf ({how}): {ratio:.2f}x plain pdfplumber extraction, target <= "
                f"{PDF_FACTOR:.0f}x: {'met' if ratio <= PDF_FACTOR else 'MISSED'}"
            )
        else:
            verdicts.append(f"pdf: {how}")
        reports = [random_report(rng) for _ in range(300)]
        start = time.process_time()
        for report in reports:
            rules.check(report)
        rules_rate = len(reports) / (time.process_time() - start)
    header = (
        "input",
        "files",
        "CPU s",
        "reports/s",
        "baseline",
        "vs baseline",
        "peak MB",
        "peak MB w/o read_path",
    )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + "\n")
    for line in verdicts:
        out.write(line + "\n")
    out.write(f"times: CPU seconds of one pass, best of {REPEATS}{' (--quick)' if QUICK else ''}\n")
    out.write(f"rules alone (report already in memory): {rules_rate:.0f} reports/s\n")
    out.write(
        "peak MB: tracemalloc peak of read_path + check over up to 50 files; the second figure "
        "reads the bytes first, so it leaves out the file read itself\n"
    )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    out.write(f"process max RSS: {maxrss / scale:.0f} MB (one process, one core)\n")


if __name__ == "__main__":
    run(sys.stdout)
