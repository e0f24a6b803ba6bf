import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import imports, services
from gongkai.disclosure.models import Category, ImportJob, Item

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)

HEADER = "标题,文号,形成日期,公开属性,不公开理由,法律依据,目录代码,类型,公示期开始,公示期结束,公开日期,索引号"


def csv_bytes(*rows, header=HEADER, encoding="utf-8-sig"):
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


@pytest.fixture
def seeded(org):
    services.catalogue_seed_system(organization=org)
    return org


def job_for(org, user, kind="items"):
    return ImportJob.objects.create(
        organization=org, kind=kind, path="x", original_name="t.csv", created_by=user
    )


@time_machine.travel(NOW, tick=False)
def test_item_dry_run_reports_every_problem_row_by_row(seeded, office_head):
    content = csv_bytes(
        "春耕通知,甘政发〔2024〕1号,2024-03-01,主动公开,,,B17,通知公告,,,,",
        ",,2024-13-01,保密,,,ZZZ,新闻,2024-05-10,2024-05-01,,",
        "依申请的信息,,2024-03-01,依申请公开,,,,,,,2024-03-05,",
        "历史公示,,2024-03-01,,,,,公示公告,2024-03-02,2024-03-09,2024-03-02,OLD-1",
        "重复索引,,2024-03-01,,,,,,,,2024-03-02,OLD-1",
        encoding="gb18030",
    )
    report = imports.dry_run(
        organization=seeded, kind="items", content=content, file_kind="csv", acting_user=office_head
    )
    assert not report.ok
    by_row = {r.number: r.errors for r in report.rows}
    assert by_row[2] == [] and by_row[5] == []
    assert any("标题" in e for e in by_row[3])
    assert any("形成日期" in e and "有效日期" in e for e in by_row[3])
    assert any("公开属性“保密”" in e for e in by_row[3])
    assert any("类型“新闻”" in e for e in by_row[3])
    assert any("ZZZ" in e for e in by_row[3])
    assert any("公示期结束" in e for e in by_row[3])
    assert any("不公开理由" in e for e in by_row[4]) and any("公开日期" in e for e in by_row[4])
    assert any("与第5行重复" in e for e in by_row[6])
    assert not Item.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_import_is_all_or_nothing(seeded, clerk):
    bad = csv_bytes("好的一行,,2024-03-01,,,,,,,,,", "坏的一行,,不是日期,,,,,,,,,")
    job = job_for(seeded, clerk)
    with pytest.raises(imports.ImportFailed, match="未导入任何数据"):
        imports.import_run(
            job=job, content=bad, file_kind="csv", acting_user=clerk, now=timezone.now()
        )
    assert not Item.objects.exists()
    job.refresh_from_db()
    assert job.imported_at is None


@time_machine.travel(NOW, tick=False)
def test_import_items_drafts_and_history(seeded, office_head, approver):
    content = csv_bytes(
        "春耕通知,甘政发〔2024〕1号,2024-03-01,主动公开,,,B17,通知公告,,,,",
        "历史公示,,2024-03-01,,,,,公示公告,2024-03-02,2024-03-09,2024-03-02,OLD-1",
        "历史公示二,,2023-03-01,,,,,,,,2023-03-02,",
    )
    job = job_for(seeded, office_head)
    report = imports.import_run(
        job=job, content=content, file_kind="csv", acting_user=approver, now=timezone.now()
    )
    assert len(report.rows) == 3
    draft = Item.objects.get(title="春耕通知")
    assert draft.status == "draft" and draft.category.code == "B17"
    assert draft.created_by == office_head
    history = Item.objects.get(title="历史公示")
    assert history.status == "published" and history.index_number == "OLD-1"
    assert (history.created_by, history.approved_by) == (office_head, approver)
    assert history.publications.get().published_on == dt.date(2024, 3, 2)
    generated = Item.objects.get(title="历史公示二")
    assert generated.index_number.endswith("/000-2023-00001")
    assert AuditEvent.objects.filter(verb="item.import").count() == 3
    event = AuditEvent.objects.get(verb="import.items")
    assert event.actor == approver
    assert event.data["published_rows"] == 2 and event.data["uploaded_by"] == office_head.pk
    job.refresh_from_db()
    assert (job.imported_at, job.imported_by, job.publishes) == (NOW, approver, 2)
    with pytest.raises(imports.ImportFailed, match="已经导入"):
        imports.import_run(
            job=job, content=content, file_kind="csv", acting_user=approver, now=timezone.now()
        )


HISTORY_ROW = "伪造的通知,,2024-06-01,,,,,,,,2024-06-01,"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("uploader", ["office_head", "org_admin"])
def test_history_import_is_not_published_by_its_uploader_alone(seeded, request, uploader):
    """Review of issue #9 (F2): a body admin (or office head) alone uploaded a CSV
    with 公开日期 = today and the item was public at once.  Confirming such an
    import needs a 审批领导 other than the uploader."""
    user = request.getfixturevalue(uploader)
    job = job_for(seeded, user)
    with pytest.raises(PermissionDenied, match="须由上传人以外的审批领导确认"):
        imports.import_run(
            job=job, content=csv_bytes(HISTORY_ROW), file_kind="csv", acting_user=user, now=NOW
        )
    assert not Item.objects.exists()
    job.refresh_from_db()
    assert job.imported_at is None


@time_machine.travel(NOW, tick=False)
def test_an_uploader_who_is_also_an_approver_still_needs_another(seeded, office_head, approver):
    from gongkai.organizations.factories import MembershipFactory
    from gongkai.organizations.models import Role

    MembershipFactory(user=office_head, organization=seeded, role=Role.APPROVER)
    office_head = type(office_head).objects.get(pk=office_head.pk)
    job = job_for(seeded, office_head)
    content = csv_bytes(HISTORY_ROW)
    with pytest.raises(PermissionDenied, match="上传人以外"):
        imports.import_run(
            job=job, content=content, file_kind="csv", acting_user=office_head, now=NOW
        )
    assert not Item.objects.exists()
    imports.import_run(job=job, content=content, file_kind="csv", acting_user=approver, now=NOW)
    assert Item.objects.get().status == "published"


@time_machine.travel(NOW, tick=False)
def test_an_approver_cannot_confirm_history_a_clerk_uploaded(seeded, clerk, approver):
    """The uploader still vouches for the history (公开办负责人 or administrator)."""
    job = job_for(seeded, clerk)
    with pytest.raises(imports.ImportFailed, match="未导入任何数据"):
        imports.import_run(
            job=job, content=csv_bytes(HISTORY_ROW), file_kind="csv", acting_user=approver, now=NOW
        )
    assert not Item.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_approver_declines_an_import(seeded, office_head, approver):
    job = job_for(seeded, office_head)
    imports.import_check(job=job, content=csv_bytes(HISTORY_ROW), acting_user=office_head, now=NOW)
    assert job.publishes == 1 and job.awaits_confirmation
    with pytest.raises(PermissionDenied):
        imports.import_decline(job=job, acting_user=office_head, reason="x", now=NOW)
    with pytest.raises(ValidationError, match="理由"):
        imports.import_decline(job=job, acting_user=approver, reason=" ", now=NOW)
    job = imports.import_decline(job=job, acting_user=approver, reason="日期有误", now=NOW)
    assert (job.declined_by, job.declined_at, job.decline_reason) == (approver, NOW, "日期有误")
    event = AuditEvent.objects.get(verb="import.items.decline")
    assert event.actor == approver and event.comment == "日期有误"
    with pytest.raises(imports.ImportFailed, match="未同意"):
        imports.import_run(
            job=job, content=csv_bytes(HISTORY_ROW), file_kind="csv", acting_user=approver, now=NOW
        )
    assert not Item.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_clerk_cannot_import_published_history(seeded, clerk):
    """条例第十七条: a clerk's rows with a 公开日期 would publish without review —
    they are refused row by row with a clear message; drafts still import."""
    content = csv_bytes(
        "春耕通知,,2024-03-01,,,,,,,,,",
        "历史公示,,2024-03-01,,,,,,,,2024-03-02,",
    )
    report = imports.dry_run(
        organization=seeded, kind="items", content=content, file_kind="csv", acting_user=clerk
    )
    by_row = {r.number: r.errors for r in report.rows}
    assert by_row[2] == []
    assert any("只有公开办负责人或机关管理员" in e for e in by_row[3])
    job = job_for(seeded, clerk)
    with pytest.raises(imports.ImportFailed, match="未导入任何数据"):
        imports.import_run(
            job=job, content=content, file_kind="csv", acting_user=clerk, now=timezone.now()
        )
    assert not Item.objects.exists()
    drafts_only = csv_bytes("春耕通知,,2024-03-01,,,,,,,,,")
    imports.import_run(
        job=job_for(seeded, clerk),
        content=drafts_only,
        file_kind="csv",
        acting_user=clerk,
        now=timezone.now(),
    )
    assert Item.objects.get().status == "draft"


def test_missing_required_header(org):
    report = imports.dry_run(
        organization=org,
        kind="items",
        content="文号\nx\n".encode(),
        file_kind="csv",
        acting_user=None,
    )
    assert not report.ok and "缺少必需的列" in report.file_errors[0]


def test_broken_xlsx_gives_one_message(org):
    report = imports.dry_run(
        organization=org,
        kind="items",
        content=b"PK\x03\x04garbage",
        file_kind="xlsx",
        acting_user=None,
    )
    assert report.file_errors == ["无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。"]


def test_catalogue_import_from_xlsx_template(org, clerk):
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx("catalogue")))
    sheet = wb.active
    assert sheet.cell(1, 1).value == "类目代码*"
    sheet.delete_rows(2)
    sheet.append(["X", "本镇特色", "", 1, "是", ""])
    sheet.append(["X01", "乡村旅游", "X", 2, "是", ""])
    sheet.append(["X02", "城市管理", "X", 3, "否", "本镇无此职能"])
    sheet.append(["X03", "缺理由", "X", 4, "否", ""])
    buf = io.BytesIO()
    wb.save(buf)
    report = imports.dry_run(
        organization=org,
        kind="catalogue",
        content=buf.getvalue(),
        file_kind="xlsx",
        acting_user=clerk,
    )
    assert [r.number for r in report.rows if not r.ok] == [5]
    assert "不适用理由" in report.rows[3].errors[0]
    sheet.delete_rows(5)
    buf = io.BytesIO()
    wb.save(buf)
    job = job_for(org, clerk, kind="catalogue")
    imports.import_run(
        job=job, content=buf.getvalue(), file_kind="xlsx", acting_user=clerk, now=timezone.now()
    )
    child = Category.objects.get(organization=org, code="X01")
    assert child.parent.code == "X" and not Category.objects.get(code="X02").applies


def test_item_template_has_every_column():
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx("items")))
    header = [c.value for c in wb.active[1]]
    assert (
        header[0] == "标题*" and "公开日期" in header and len(header) == len(imports.ITEM_COLUMNS)
    )
