"""A published report's downloads, made once by the reports.generate_documents job
and sent from storage (documents.py, docs/reports.md "Downloads").

Transactional tests: in the embedded (inline) mode a deferred job runs after the
commit, which a test wrapped in a transaction never reaches."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.annual.writers import write
from gongkai.jobs import registry
from gongkai.reports import services
from gongkai.reports.cli import run
from gongkai.reports.documents import documents_digest, stored_name
from gongkai.reports.models import DOCUMENT_FORMATS, AnnualReport, ReportDocument
from gongkai.reports.selectors import report_of
from gongkai.tests.s3 import conftest as s3

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
# The object-storage fixtures (a moto S3 server, a fresh bucket per test).
s3_endpoint, s3_client, make_bucket = s3.s3_endpoint, s3.s3_client, s3.make_bucket
bucket, s3_env, s3_storage = s3.bucket, s3.s3_env, s3.s3_storage
NOW = datetime(2025, 2, 10, 9, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(local_files) -> Path:
    return local_files


def _documents_dir(media: Path, report: AnnualReport) -> Path:
    return media / str(report.organization_id) / "annual-reports" / str(report.year) / "documents"


def _files(media: Path, report: AnnualReport) -> dict[str, bytes]:
    folder = _documents_dir(media, report)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _publish(org, clerk, approver) -> AnnualReport:
    """The whole workflow: draft, submit, approve, publish (each its own transaction)."""
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    f.fill_placeholders(report, clerk)
    report = services.report_submit(report=report, acting_user=clerk, now=NOW)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    return services.report_publish(report=report, acting_user=approver, now=NOW)


def _portal(org, to: str) -> str:
    return reverse("portal:report_download", args=[org.slug, 2024, to])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _cells(response) -> dict:
    return json.loads(_body(response))["cells"]


def _correct_applicant_type(report, application, approver) -> None:
    def change():
        application.applicant_type = "legal_service"
        application.save()

    services.report_correction_record(
        report=report, reason="申请人类型登记错误", acting_user=approver, change=change, now=NOW
    )


def test_the_job_is_declared():
    declared = registry.get("reports.generate_documents")
    assert declared.label and declared.daily is None and declared.attempts == 3


def test_the_digest_follows_the_content_not_the_order_of_the_cells(org):
    report = f.published(org, 2024)
    model = report_of(report)
    shuffled = report_of(report, cells=dict(reversed(list(model.cells.items()))))
    assert list(shuffled.cells) != list(model.cells)
    assert documents_digest(shuffled) == documents_digest(model)
    report.section_5 = "更正后的第五部分。"
    assert documents_digest(report_of(report)) != documents_digest(model)
    changed = report_of(report, cells={**model.cells, "t3.new.natural": 7})
    assert documents_digest(changed) != documents_digest(report_of(report))


def test_publication_makes_every_download_once(org, clerk, approver, media):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = _publish(org, clerk, approver)  # the job ran after the publication committed
    model = report_of(AnnualReport.objects.get(pk=report.pk))
    digest = documents_digest(model)
    docs = {d.format: d for d in ReportDocument.objects.filter(report=report)}
    assert sorted(docs) == sorted(DOCUMENT_FORMATS)
    for to, doc in docs.items():
        assert doc.digest == digest and doc.path == stored_name(report, digest, to)
        assert f"/{report.pk}-{digest[:32]}." in doc.path
        assert doc.size == len(default_storage.open(doc.path).read())
    assert docs["json"].path and default_storage.open(docs["json"].path).read() == write(
        model, "json"
    )
    files = _files(media, report)
    assert len(files) == 4
    # A second run (a retry, the queue delivering twice) writes nothing new.
    assert services.report_documents_generate(report_id=report.pk) == []
    assert _files(media, report) == files
    assert {d.format: (d.path, d.generated_at) for d in ReportDocument.objects.all()} == {
        to: (d.path, d.generated_at) for to, d in docs.items()
    }


def test_a_rolled_back_publication_makes_nothing(org, clerk, approver, media):
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    f.fill_placeholders(report, clerk)
    report = services.report_submit(report=report, acting_user=clerk, now=NOW)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        services.report_publish(report=report, acting_user=approver, now=NOW)
        raise Rollback
    assert not ReportDocument.objects.exists() and _files(media, report) == {}


def test_confirming_an_import_makes_its_downloads(org, clerk, approver, media):
    from gongkai.annual.sample import seed_like_report

    sample = seed_like_report()
    sample.organization, sample.title = org.name, None
    report = services.report_import(
        organization=org,
        year=2024,
        data=write(sample, "text"),
        filename="2024.txt",
        acting_user=clerk,
        now=NOW,
    )
    assert not ReportDocument.objects.exists()  # waiting for confirmation: not public
    services.report_confirm_import(report=report, acting_user=approver, now=NOW)
    docs = ReportDocument.objects.filter(report=report)
    assert sorted(d.format for d in docs) == sorted(DOCUMENT_FORMATS)
    assert len(_files(media, report)) == 4


def test_downloads_stream_the_kept_file_with_todays_headers(org, clerk, approver, client):
    report = _publish(org, clerk, approver)
    kept = {d.format: default_storage.open(d.path).read() for d in report.documents.all()}
    # Kept files are sent without making anything: the writers are not called.
    with mock.patch("gongkai.reports.views.downloads.write", side_effect=AssertionError):
        for to in ("docx", "xlsx", "json"):
            r = client.get(_portal(org, to))
            assert r.status_code == 200 and r.streaming
            assert _body(r) == kept[to]
            assert r["Content-Length"] == str(len(kept[to]))
            assert r["X-Content-Type-Options"] == "nosniff"
            assert r["Content-Disposition"] == (
                f'attachment; filename="{org.slug}-2024-annual-report.{to}"'
            )
        for to in DOCUMENT_FORMATS:
            r = client.get(reverse("reports_public:download", args=[org.slug, 2024, to]))
            assert r.status_code == 200 and r.streaming and _body(r) == kept[to]
            assert r["Content-Disposition"] == f'attachment; filename="{org.slug}-2024.{to}"'
    # The same headers as a file made on the fly (no kept file).
    ReportDocument.objects.all().delete()
    with mock.patch("gongkai.reports.views.downloads.documents_defer"):
        fly = client.get(_portal(org, "docx"))
    assert not fly.streaming
    cache.clear()  # forget that this download "deferred" the job
    stored = client.get(_portal(org, "docx"))
    assert stored.streaming  # the fallback deferred the job; inline, it ran at once
    for header in ("Content-Type", "Content-Disposition", "X-Content-Type-Options"):
        assert fly[header] == stored[header]


def test_a_correction_never_leaves_a_stale_download(org, clerk, approver, client, media):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = _publish(org, clerk, approver)
    before = _files(media, report)
    assert _cells(client.get(_portal(org, "json")))["t3.new.natural"] == 1
    # Corrected, and the job is not run (a worker that has not got to it yet).
    with mock.patch("gongkai.reports.services.defer") as deferred:
        _correct_applicant_type(report, app, approver)
    assert deferred.call_args.kwargs == {"report_id": report.pk}
    assert _files(media, report) == before  # the files made before the correction remain
    with mock.patch("gongkai.reports.views.downloads.documents_defer"):
        r = client.get(_portal(org, "json"))
        html = client.get(reverse("reports_public:download", args=[org.slug, 2024, "html"]))
    assert not r.streaming  # made on the fly, from the corrected report
    cells = _cells(r)
    assert cells["t3.new.natural"] == 0 and cells["t3.new.legal_service"] == 1
    assert not html.streaming and _body(html) == write(
        report_of(AnnualReport.objects.get(pk=report.pk)), "html"
    )
    cache.clear()  # forget that these downloads "deferred" the job
    # The next download defers the job (inline: it runs now) and sends its file.
    r = client.get(_portal(org, "json"))
    assert r.streaming and _cells(r)["t3.new.natural"] == 0
    after = _files(media, report)
    assert len(after) == 4 and not set(after) & set(before)  # the old set is removed
    assert ReportDocument.objects.filter(report=report).count() == 4


def test_closing_a_correction_makes_the_downloads_again(org, clerk, approver, client, media):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = _publish(org, clerk, approver)
    before = _files(media, report)
    _correct_applicant_type(report, app, approver)  # the job runs after the commit
    after = _files(media, report)
    assert len(after) == 4 and not set(after) & set(before)
    digest = documents_digest(report_of(AnnualReport.objects.get(pk=report.pk)))
    assert set(ReportDocument.objects.values_list("digest", flat=True)) == {digest}
    with mock.patch("gongkai.reports.views.downloads.write", side_effect=AssertionError):
        r = client.get(_portal(org, "json"))
    assert r.streaming and _cells(r)["t3.new.legal_service"] == 1


def test_a_failed_run_is_retried_without_leaving_copies(org, media):
    report = f.published(org, 2024)  # written directly: no job ran
    real_write = services.write

    def fail_on_xlsx(model, to):
        if to == "xlsx":
            raise OSError("storage unavailable")
        return real_write(model, to)

    with mock.patch("gongkai.reports.services.write", side_effect=fail_on_xlsx):
        with pytest.raises(OSError):
            services.report_documents_generate(report_id=report.pk)
    assert not ReportDocument.objects.exists()  # the rows rolled back ...
    assert len(_files(media, report)) == 2  # ... the files written before the failure stay
    assert sorted(services.report_documents_generate(report_id=report.pk)) == sorted(
        DOCUMENT_FORMATS
    )
    files = _files(media, report)
    assert sorted(files) == sorted(
        Path(d.path).name for d in ReportDocument.objects.filter(report=report)
    )
    # A kept file lost from storage is made again, under the same name.
    lost = ReportDocument.objects.get(report=report, format="docx")
    default_storage.delete(lost.path)
    assert services.report_documents_generate(report_id=report.pk) == ["docx"]
    assert _files(media, report) == files


def test_a_report_published_before_downloads_were_kept(
    org, client, django_capture_on_commit_callbacks
):
    report = f.published(org, 2024)  # written directly: no job ran
    # Inside a transaction (as in a request run atomically): made on the fly, job deferred once.
    with transaction.atomic(), django_capture_on_commit_callbacks() as deferred:
        first = client.get(_portal(org, "json"))
        second = client.get(_portal(org, "docx"))
    assert first.status_code == second.status_code == 200
    assert not first.streaming and not second.streaming
    assert json.loads(first.content) == json.loads(write(report_of(report), "json"))
    assert len(deferred) == 1  # the second download found the job already deferred
    assert sorted(ReportDocument.objects.values_list("format", flat=True)) == sorted(
        DOCUMENT_FORMATS
    )
    assert client.get(_portal(org, "xlsx")).streaming


def test_drafts_and_the_back_office_json_are_never_kept(org, clerk, client_for):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    c = client_for(clerk)
    for to in DOCUMENT_FORMATS:
        r = c.get(reverse("reports:report_download", args=[2024, to]))
        assert r.status_code == 200 and not r.streaming
    assert not ReportDocument.objects.exists()
    assert client_for(clerk).get(_portal(org, "docx")).status_code == 404


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_gongkai_report_regenerate(org, other_org):
    one, two = f.published(org, 2024), f.published(other_org, 2024)
    code, out, _ = _run("regenerate", "--org", org.slug, "--year", "2024")
    assert code == 0 and "1 份" in out
    assert {d.report_id for d in ReportDocument.objects.all()} == {one.pk}
    code, out, _ = _run("regenerate", "--all")
    assert code == 0 and "2 份" in out and "8 个文件" in out
    assert ReportDocument.objects.filter(report=two).count() == 4
    code, _, err = _run("regenerate", "--org", org.slug, "--year", "2023")
    assert code == 2 and "没有已公布的年度报告" in err
    code, _, err = _run("regenerate", "--org", org.slug)
    assert code == 2 and "--year" in err
    assert _run("regenerate")[0] == 2  # neither --all nor --org


def test_kept_in_s3_compatible_storage(org, clerk, approver, client, s3_client, s3_storage):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = _publish(org, clerk, approver)
    prefix = f"site/{org.pk}/annual-reports/2024/documents/{report.pk}-"
    keys = s3.bucket_keys(s3_client, s3_storage)
    assert len(keys) == 4 and all(k.startswith(prefix) for k in keys)
    r = client.get(_portal(org, "json"))
    assert r.streaming and _body(r) == next(v for k, v in keys.items() if k.endswith(".json"))
    _correct_applicant_type(report, app, approver)
    after = s3.bucket_keys(s3_client, s3_storage)
    assert len(after) == 4 and not set(after) & set(keys)  # replaced, the old set removed
    r = client.get(_portal(org, "json"))
    assert r.streaming and _cells(r)["t3.new.legal_service"] == 1
