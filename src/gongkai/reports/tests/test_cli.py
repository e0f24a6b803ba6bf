import io
import json
from datetime import date

import pytest

from gongkai.annual.jsonio import load
from gongkai.annual.writers import write
from gongkai.reports.cli import run

from . import factories as f

pytestmark = pytest.mark.django_db


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_export_json_uses_the_annual_schema(org, tmp_path):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    f.published(org, 2024)
    code, out, _ = _run("export", "--org", org.slug, "--year", "2024", "--to", "json")
    assert code == 0
    report = load(json.loads(out))
    assert report.cells["t3.new.total"] == 1 and report.year == 2024
    target = tmp_path / "r.docx"
    code, out, _ = _run(
        "export", "--org", org.name, "--year", "2024", "--to", "docx", "-o", str(target)
    )
    assert code == 0 and target.read_bytes()[:2] == b"PK"
    code, _, err = _run("export", "--org", org.slug, "--year", "2024", "--to", "xlsx")
    assert code == 2 and "-o" in err


def test_export_without_a_document_computes_the_tables(org):
    code, out, _ = _run("export", "--org", org.slug, "--year", "2023", "--to", "text")
    assert code == 0 and "本年新收政府信息公开申请数量" in out


def test_check_exit_codes(org):
    f.published(org, 2024)
    assert _run("check", "--org", org.slug, "--year", "2024")[0] == 0
    f.published(org, 2023, on=date(2024, 6, 30))  # after the 20 Feb default town deadline
    code, out, _ = _run("check", "--org", org.slug, "--year", "2023")
    assert code == 1 and "published_late" in out
    assert _run("check", "--org", "没有这个机关", "--year", "2024")[0] == 2
    assert _run("check", "--org", org.slug)[0] == 2  # --year missing


def test_import_command(org, tmp_path):
    from gongkai.annual.sample import seed_like_report

    path = tmp_path / "2024.html"
    path.write_bytes(write(seed_like_report(), "html"))  # 青山县人民政府's report
    # Another body's name: refused unless the operator confirms it (audited).
    code, out, err = _run("import", "--org", org.slug, str(path), "--published", "2025-03-01")
    assert code == 2 and "青山县人民政府" in err and "--confirm-name" in err
    code, out, err = _run(
        "import", "--org", org.slug, str(path), "--published", "2025-03-01", "--confirm-name"
    )
    assert code == 0, err
    assert "已导入" in out and "待审批领导" in out
    from gongkai.audit.models import AuditEvent
    from gongkai.reports.models import AnnualReport

    report = AnnualReport.objects.get(organization=org, year=2024)
    assert report.status == "submitted" and report.published_at is None
    event = AuditEvent.objects.get(verb="report.import")
    assert event.data["name_confirmed"] is True and event.data["from_command_line"] is True
    code, _, err = _run("import", "--org", org.slug, str(path))
    assert code == 2 and "已有年度报告" in err
    assert _run("import", "--org", org.slug, str(tmp_path / "nope.pdf"))[0] == 2
