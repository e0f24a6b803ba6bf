"""OCR of scans: corpus reports rasterised at 150 dpi, greyscale, a little blur and a
slight rotation -- the numbers must come back exact, every cell.

The quick tests OCR the pages that hold the tables of two corpus reports (one
as a multi-page TIFF, one as an image-only PDF); the ``slow`` test OCRs every
page of all three reports as scanned PDFs.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from gongkai.annual import cli
from gongkai.annual.ocr.recognizer import available as ocr_available
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.tests.corpus import CORPUS, needs_corpus, truth

pytestmark = [
    needs_corpus,
    pytest.mark.skipif(not ocr_available(), reason="rapidocr-onnxruntime is not installed"),
]

DPI = 150


def scan(name: str, pages: list[int] | None = None, *, angle: float = 0.7):
    """Page images of a corpus PDF as a scanner would give them."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(str(CORPUS / f"{name}.pdf"))
    images = []
    try:
        for n in pages or range(1, len(pdf) + 1):
            page = pdf[n - 1]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image = image.filter(ImageFilter.GaussianBlur(0.6))
            turn = angle if n % 2 else -angle  # the scanner feeds each sheet a little askew
            images.append(image.rotate(turn, resample=Image.BICUBIC, expand=True, fillcolor=255))
    finally:
        pdf.close()
    return images


def as_pdf(images) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return buffer.getvalue()


def as_tiff(images) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buffer.getvalue()


def truth_cells(name: str) -> dict:
    return {k: (Decimal(v) if k == "t2.fees" else v) for k, v in truth(name)["cells"].items()}


@pytest.fixture(scope="module")
def huaian_tables():
    return read_bytes(as_tiff(scan("huaian-2024", [3, 4, 5])), name="scan.tif", ocr="auto")


@pytest.fixture(scope="module")
def hongze_tables_pdf():
    return as_pdf(scan("hongzequ-2023", [2, 3, 4, 5]))


@pytest.fixture(scope="module")
def hongze_tables(hongze_tables_pdf):
    return read_bytes(hongze_tables_pdf, name="scan.pdf", ocr="auto")


def test_tiff_scan_every_cell_exact(huaian_tables):
    report = huaian_tables
    assert report.source_format == "image"
    assert report.cells == truth_cells("huaian-2024")
    assert set(report.confidence) == set(report.cells)
    assert all(0 < c <= 1 for c in report.confidence.values())


def test_scanned_pdf_every_cell_exact_and_known_problems_only_flagged(hongze_tables):
    report = hongze_tables
    assert report.source_format == "pdf"
    assert report.cells == truth_cells("hongzequ-2023")
    # The report itself prints 表四 复议 总计 0 where its parts sum to 11: the
    # arithmetic points at the OCR-read cells as a possible misread, and the
    # printed 0 stays -- nothing is "corrected".
    assert report.cells["t4.reconsideration.total"] == 0
    flagged = [n for n in report.notes if n.code == "ocr_arithmetic"]
    assert flagged and all(n.severity == "warning" for n in flagged)
    assert any("t4.reconsideration.total" in n.cells for n in flagged)
    assert "不会据此改动数字" in flagged[0].message


def test_ocr_never_refuses_scans_and_image(hongze_tables_pdf):
    with pytest.raises(ReadError, match="扫描件"):
        read_bytes(hongze_tables_pdf, ocr="never")
    png = io.BytesIO()
    scan("huaian-2024", [1])[0].save(png, "PNG")
    with pytest.raises(ReadError, match="文字识别"):
        read_bytes(png.getvalue(), ocr="never")


def test_ocr_always_reads_a_text_pdf_by_ocr():
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(CORPUS / "huaian-2024.pdf"))
    single = pdfium.PdfDocument.new()
    single.import_pages(source, [3])  # page 4: tables 2 and 3, with a text layer
    buffer = io.BytesIO()
    single.save(buffer)
    data = buffer.getvalue()
    by_text = read_bytes(data, ocr="auto")
    assert not by_text.confidence  # auto: the text layer is read, no OCR
    by_ocr = read_bytes(data, ocr="always")
    assert by_ocr.confidence  # always: OCR although the PDF has a text layer
    expected = truth_cells("huaian-2024")
    assert by_ocr.cells and by_ocr.cells == {k: expected[k] for k in by_ocr.cells}
    assert by_ocr.cells == by_text.cells


def test_misread_cell_is_a_warning_never_a_silent_value(monkeypatch):
    """Digits the recogniser gets wrong (faked here) are flagged, never fixed or filled in."""
    from gongkai.annual.ocr import recognizer as rec

    real = rec.Recognizer.recognise
    faked = {"3119": ("3118", 0.41), "88283": ("。", 0.3)}

    def misread(self, crops):
        return [faked.get(text, (text, c)) for text, c in real(self, crops)]

    monkeypatch.setattr(rec.Recognizer, "recognise", misread)
    report = read_bytes(as_tiff(scan("huaian-2024", [4])), name="p4.tif", ocr="auto")
    assert report.cells["t3.new.total"] == 3118  # what was read, never a computed 3119
    assert report.confidence["t3.new.total"] == pytest.approx(0.41)
    low = [n for n in report.notes if n.code == "ocr_low_confidence"]
    assert [n.cells for n in low] == [("t3.new.total",)]
    arithmetic = [n for n in report.notes if n.code == "ocr_arithmetic"]
    assert arithmetic and "t3.new.total" in arithmetic[0].message
    assert "t2.coercion" not in report.cells  # unreadable: missing, never 0


def test_blank_image_is_not_a_report():
    from PIL import Image

    png = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(png, "PNG")
    with pytest.raises(ReadError, match="文字识别后仍没有找到"):
        read_bytes(png.getvalue(), ocr="auto")


def test_cli_check_scan(tmp_path):
    path = tmp_path / "p4.png"
    page = scan("huaian-2024", [4], angle=0)[0]
    page.crop((0, 0, page.width, page.height * 2 // 5)).save(path)  # table 2's last rows
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["check", str(path), "--json"], out, err)
    assert code in (0, 1), err
    assert '"source_format": "image"' in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(["check", str(path), "--ocr", "never"], out, err) == 2
    assert "文字识别" in err.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["huaian-2024", "hongzequ-2023", "hongzequ-2024"])
def test_whole_scanned_report(name):
    data = truth(name)
    report = read_bytes(as_pdf(scan(name)), name=f"{name}-scan.pdf", ocr="auto")
    assert report.cells == truth_cells(name)
    assert report.year == data["year"]
    assert report.organization == data["organization"]


def test_confidence_survives_the_json_contract(huaian_tables):
    from gongkai.annual import jsonio

    doc = jsonio.dump(huaian_tables)
    assert doc["confidence"] == huaian_tables.confidence
    assert jsonio.load(doc).confidence == huaian_tables.confidence
    doc["confidence"] = {"t3.new.total": 1.5}
    with pytest.raises(jsonio.JSONReportError, match="confidence"):
        jsonio.load(doc)
