"""The exported DOCX opens in LibreOffice and converts to PDF; the PDF renders."""

import shutil
import subprocess
from datetime import date

import pytest

from gongkai.annual.writers import write
from gongkai.reports.selectors import report_of

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_docx_converts_to_pdf(org, tmp_path):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = report_of(f.published(org, 2024))
    docx = tmp_path / "report.docx"
    docx.write_bytes(write(report, "docx"))
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")],
            check=True,
            timeout=120,
        )
        assert list(tmp_path.glob("page*.png"))
    # The PDF reads back into the same numbers.
    from gongkai.annual.readers import read_path

    back = read_path(pdf)
    assert back.cells.get("t3.granted.total") == 1
