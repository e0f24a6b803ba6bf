"""Benchmark of the supervisor's batch check (issue #12): OCR speed and web check speed.

- OCR: a corpus report rasterised like a scan (150 dpi, greyscale, blur, slight
  rotation, as in the tests) read with OCR -- pages/s and cells/s, wall clock
  with onnxruntime's default threads (the machine's cores) and CPU seconds --
  beside pdfplumber's text extraction of the same report with its text layer
  and gongkai's own text-layer read of it.
- Web: reports/s of ``run_batch`` (fetch + read + check) against a local
  server on 127.0.0.1 with the politeness delay set to 0, beside plain
  fetching of the same URLs (the floor), at -j 1 and -j 2.

``--quick`` (GONGKAI_BENCH_QUICK=1): fewer pages and reports.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QUICK = os.environ.get("GONGKAI_BENCH_QUICK") == "1" or "--quick" in sys.argv
OCR_REPORT = "huaian-2024"
WEB_REPORTS = 12 if QUICK else 60


def _scan_pages(pdf_path: Path, pages: list[int] | None):
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(str(pdf_path))
    images = []
    for n in pages or range(1, len(pdf) + 1):
        image = pdf[n - 1].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        images.append(
            image.rotate(0.7 if n % 2 else -0.7, resample=Image.BICUBIC, expand=True, fillcolor=255)
        )
    pdf.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return buffer.getvalue(), len(images)


def _clock(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bench_ocr(out) -> None:
    import pdfplumber

    from gongkai.annual.ocr.recognizer import available
    from gongkai.annual.readers import read_bytes

    pdf_path = SHARED / "corpus" / f"{OCR_REPORT}.pdf"
    if not pdf_path.exists():
        out.write("ocr: no corpus PDF (../shared/corpus) — skipped\n")
        return
    if not available():
        out.write("ocr: rapidocr-onnxruntime not installed — skipped\n")
        return
    text_pdf = pdf_path.read_bytes()
    scanned, pages = _scan_pages(pdf_path, [3, 4, 5] if QUICK else None)
    read_bytes(_scan_pages(pdf_path, [4])[0], ocr="auto")  # model load outside the timing
    report, wall, cpu = _clock(lambda: read_bytes(scanned, ocr="auto"))
    cells = len(report.cells)

    def plumber():
        with pdfplumber.open(io.BytesIO(text_pdf)) as pdf:
            return sum(len(page.extract_text() or "") for page in pdf.pages[:pages])

    _, p_wall, p_cpu = _clock(plumber)
    text_report, t_wall, t_cpu = _clock(lambda: read_bytes(text_pdf))
    text_pages = len(pdfplumber.open(io.BytesIO(text_pdf)).pages)
    rows = [
        ("OCR of the scan", pages, cells, wall, cpu),
        ("pdfplumber text, same report", pages, None, p_wall, p_cpu),
        ("gongkai text-layer read", text_pages, len(text_report.cells), t_wall, t_cpu),
    ]
    out.write(
        f"OCR: {OCR_REPORT}, {pages} page(s) rasterised at 150 dpi; {os.cpu_count()} CPU(s)\n"
    )
    out.write(
        f"{'input':32} {'pages':>5} {'cells':>5} {'wall s':>7} {'CPU s':>7} {'pages/s':>8} {'cells/s':>8}\n"
    )
    for name, n_pages, n_cells, w, c in rows:
        cells_rate = f"{n_cells / w:8.1f}" if n_cells else f"{'':8}"
        out.write(
            f"{name:32} {n_pages:5} {n_cells or '':>5} {w:7.2f} {c:7.2f} {n_pages / w:8.2f} {cells_rate}\n"
        )
    out.write(
        f"OCR is {wall / p_wall:.0f}x pdfplumber's text extraction per page; "
        f"truth cells read: {cells}\n"
    )


def bench_web(out) -> None:
    import urllib.request

    from gongkai.annual.sample import random_report
    from gongkai.annual.tests.webserver import Route, Site
    from gongkai.annual.web.batch import Body, Options, run_batch
    from gongkai.annual.web.fetch import Fetcher
    from gongkai.annual.writers import write

    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    os.environ["no_proxy"] = "127.0.0.1,localhost"
    rng = random.Random(12)
    pdf = SHARED / "corpus" / "huaian-2024.pdf"
    with Site() as site:
        urls = []
        for i in range(WEB_REPORTS):
            if pdf.exists() and i % 6 == 0:
                site.routes[f"/r{i}.pdf"] = Route(pdf.read_bytes(), "application/pdf")
                urls.append(site.url(f"/r{i}.pdf"))
            else:
                site.routes[f"/r{i}.html"] = Route(write(random_report(rng), "html"))
                urls.append(site.url(f"/r{i}.html"))

        def plain():
            for url in urls:
                with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - local server
                    r.read()

        _, base, _ = _clock(plain)
        out.write(
            f"web: {len(urls)} reports (1 in 6 a corpus PDF, the rest HTML) from 127.0.0.1, delay 0\n"
        )
        out.write(f"  plain fetch (the floor): {len(urls) / base:.1f} reports/s\n")
        for jobs in (1, 2):
            fetcher = Fetcher(delay=0)
            bodies = [Body(url=u) for u in urls]
            results, wall, _ = _clock(
                lambda f=fetcher, b=bodies, j=jobs: run_batch(
                    b, f, Options(ocr="never", jobs=j), lambda i, o: None
                )
            )
            ok = sum(1 for r in results if r.status == "ok")
            out.write(
                f"  check -j {jobs}: {len(urls) / wall:.1f} reports/s ({ok}/{len(urls)} read; "
                f"{wall / base:.1f}x the plain fetch)\n"
            )


def run(out) -> None:
    bench_ocr(out)
    bench_web(out)


if __name__ == "__main__":
    run(sys.stdout)
