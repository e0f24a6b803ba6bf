"""The 政策解读 package, the publish-together rule (三同步), the interpretation's
delay, 拟稿/审核/签发 fixed at publication and 转载 with its source."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongkai.audit.models import AuditEvent
from gongkai.core.errors import Invalid
from gongkai.disclosure import selectors, services
from gongkai.disclosure.factories import PublishedItemFactory
from gongkai.disclosure.models import (
    InterpretationContent,
    InterpretationFigure,
    Item,
    PublishingSettings,
    clean_qa,
    clean_videos,
)
from gongkai.organizations.factories import MembershipFactory, UnitFactory, user_with_role
from gongkai.organizations.models import Role
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
SECTIONS = {
    "background": "低保标准多年未调整。",
    "purpose": "保障基本生活。",
    "measures": "提高到每月780元。",
}


def png_bytes(width=4, height=3) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _create(org, clerk, **data) -> Item:
    base = {"title": "文件", "body": "正文", "formed_on": dt.date(2024, 3, 1), "kind": "notice"}
    return services.item_create(organization=org, acting_user=clerk, data={**base, **data})


def _to_approval(item, clerk, reviewer) -> Item:
    item = services.item_submit(item=item, acting_user=clerk)
    return services.item_review_pass(item=item, acting_user=reviewer)


@pytest.fixture
def policy(org, clerk):
    return _create(org, clerk, title="关于调整低保标准的通知", kind=Item.Kind.POLICY)


@pytest.fixture
def interp(org, clerk, policy):
    return _create(
        org, clerk, title="《关于调整低保标准的通知》解读", kind="interpretation", interprets=policy
    )


@pytest.fixture
def together(org):
    return PublishingSettings.objects.create(organization=org, publish_with_interpretation=True)


# --- required sections, 简明问答, videos ----------------------------------------------------


def test_required_sections_are_validated_each(interp, clerk):
    with pytest.raises(ValidationError) as exc:
        services.interpretation_save(
            item=interp, acting_user=clerk, background=" ", purpose="", measures="有举措"
        )
    errors = exc.value.message_dict
    assert set(errors) == {"background", "purpose"}
    assert "背景" in errors["background"][0] and "目的" in errors["purpose"][0]
    assert not InterpretationContent.objects.exists()


def test_an_interpretation_without_its_sections_cannot_go_to_review(interp, clerk):
    with pytest.raises(Invalid) as exc:
        services.item_submit(item=interp, acting_user=clerk)
    assert "尚缺“背景”“目的”“主要举措”" in exc.value.messages[0]
    interp.refresh_from_db()
    assert interp.status == Item.Status.DRAFT
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    assert services.item_submit(item=interp, acting_user=clerk).status == Item.Status.IN_REVIEW


def test_qa_pairs_are_checked_and_blank_rows_dropped():
    pairs = [
        {"question": " 标准是多少？ ", "answer": "每月780元。"},
        {"question": "", "answer": ""},
    ]
    assert clean_qa(pairs) == [{"question": "标准是多少？", "answer": "每月780元。"}]
    with pytest.raises(ValidationError) as exc:
        clean_qa([{"question": "何时执行？", "answer": ""}, {"question": "", "answer": "明年"}])
    assert exc.value.messages == ["第1组问答缺少回答。", "第2组问答缺少问题。"]


def test_video_links_are_http_only():
    assert clean_videos([{"title": "视频", "url": "https://v.example.gov.cn/1.mp4"}])
    for url in ("javascript:alert(1)", "ftp://x/y", "//evil"):
        with pytest.raises(ValidationError):
            clean_videos([{"title": "视频", "url": url}])


def test_saving_the_package_is_an_edit_of_the_draft(interp, clerk, org):
    other_clerk = user_with_role(org, Role.CLERK, username="clerk2")
    services.interpretation_save(item=interp, acting_user=other_clerk, **SECTIONS)
    interp.refresh_from_db()
    assert interp.last_edited_by == other_clerk  # may then neither review nor approve it
    assert AuditEvent.objects.filter(verb="interpretation.save").count() == 1


def test_the_package_is_frozen_once_submitted(interp, clerk):
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    services.item_submit(item=interp, acting_user=clerk)
    with pytest.raises(Invalid, match="不能修改解读材料"):
        services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)


# --- 图解 uploads ------------------------------------------------------------------------------


def test_a_figure_is_stored_through_the_storage_with_its_alt_text(interp, clerk):
    fig = services.interpretation_figure_add(
        item=interp,
        acting_user=clerk,
        file=in_memory(png_bytes(), "图解.png"),
        alt_text="标准对比图",
    )
    assert (fig.kind, fig.width, fig.height, fig.alt_text) == ("png", 4, 3, "标准对比图")
    assert default_storage.exists(fig.path)
    services.interpretation_figure_remove(figure=fig, acting_user=clerk)
    assert not InterpretationFigure.objects.exists()


def _photo_with_metadata(width=40, height=30, orientation=1) -> bytes:
    """A phone-style JPEG: EXIF with GPS position, camera owner and orientation,
    an ICC profile, XMP naming the author, and bytes appended after the image."""
    exif = Image.Exif()
    exif[0x013B] = "张三"  # Artist
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(
        out,
        format="JPEG",
        exif=exif.tobytes(),
        icc_profile=b"ICC-PROFILE-OF-A-PHONE",
        xmp="<x:xmpmeta><dc:creator>李四</dc:creator></x:xmpmeta>".encode(),
    )
    return out.getvalue() + b"<script>alert(1)</script>"


def test_a_figure_is_stored_without_its_metadata(interp, clerk):
    """A 图解 is shown on a public page: GPS position, owner and author names in
    EXIF/XMP, the ICC profile and appended data must not reach it."""
    upload = _photo_with_metadata(orientation=6)  # taken turned: shown 30 wide, 40 high
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(0x8825)  # the test photo has GPS
    fig = services.interpretation_figure_add(
        item=interp, acting_user=clerk, file=in_memory(upload, "现场照片.jpg"), alt_text="现场"
    )
    with default_storage.open(fig.path, "rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and fig.kind == "jpg"
    assert not image.getexif() and not set(image.info) & {"exif", "icc_profile", "xmp"}
    for marker in (b"Exif", b"ICC-PROFILE", b"xmpmeta", "李四".encode(), b"<script>"):
        assert marker not in stored
    assert image.size == (fig.width, fig.height) == (30, 40)  # turned upright first
    assert fig.size == len(stored)


def test_a_png_figure_loses_its_text_chunks_and_icc_profile(interp, clerk):
    from PIL import PngImagePlugin

    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Author", "王五")
    out = io.BytesIO()
    Image.new("RGBA", (5, 5), (0, 0, 0, 0)).save(
        out, format="PNG", pnginfo=chunks, icc_profile=b"ICC-PROFILE-X"
    )
    fig = services.interpretation_figure_add(
        item=interp, acting_user=clerk, file=in_memory(out.getvalue(), "图.png"), alt_text="图"
    )
    with default_storage.open(fig.path, "rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG" and image.mode == "RGBA"
    assert b"Author" not in stored and b"ICC-PROFILE" not in stored and not image.text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"just text, not an image", "x.png", "不支持|文件内容|不是"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png", "不是有效的 JPG 或 PNG 图片"),
        (b"%PDF-1.4 a pdf", "doc.pdf", "不支持 .pdf"),
    ],
)
def test_non_images_are_refused_and_nothing_is_kept(interp, clerk, content, name, message):
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid, match=message):
        services.interpretation_figure_add(
            item=interp, acting_user=clerk, file=in_memory(content, name), alt_text="说明"
        )
    assert not InterpretationFigure.objects.exists()
    assert AuditEvent.objects.count() == before
    folder = f"{interp.organization_id}/disclosure/figures/{timezone.localdate().year}"
    files = default_storage.listdir(folder)[1] if default_storage.exists(folder) else []
    assert files == []


def test_oversized_figures_and_missing_alt_text_are_refused(interp, clerk, settings):
    settings.GONGKAI_FIGURE_MAX_BYTES = 50
    with pytest.raises(Invalid, match="图片过大"):
        services.interpretation_figure_add(
            item=interp,
            acting_user=clerk,
            file=in_memory(png_bytes(60, 60), "big.png"),
            alt_text="说明",
        )
    settings.GONGKAI_FIGURE_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(Invalid, match="替代文字"):
        services.interpretation_figure_add(
            item=interp, acting_user=clerk, file=in_memory(png_bytes(), "a.png"), alt_text="  "
        )
    assert not InterpretationFigure.objects.exists()


# --- publish together (三同步) ----------------------------------------------------------------


def test_rule_off_a_policy_is_published_alone(policy, clerk, reviewer, approver):
    policy = _to_approval(policy, clerk, reviewer)
    assert services.item_approve(item=policy, acting_user=approver, now=timezone.now()).is_published


def test_rule_on_a_policy_without_interpretation_is_refused(
    together, policy, clerk, reviewer, approver
):
    policy = _to_approval(policy, clerk, reviewer)
    with pytest.raises(Invalid, match="还没有政策解读"):
        services.item_approve(item=policy, acting_user=approver, now=timezone.now())
    policy.refresh_from_db()
    assert policy.status == Item.Status.IN_APPROVAL and policy.index_number == ""


def test_rule_on_an_interpretation_not_yet_reviewed_blocks_the_policy(
    together, policy, interp, clerk, reviewer, approver
):
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    services.item_submit(item=interp, acting_user=clerk)
    policy = _to_approval(policy, clerk, reviewer)
    with pytest.raises(Invalid, match="当前为“保密审查中”"):
        services.item_approve(item=policy, acting_user=approver, now=timezone.now())


def test_rule_on_approving_the_policy_publishes_both_at_once(
    together, policy, interp, clerk, reviewer, approver
):
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    interp = _to_approval(interp, clerk, reviewer)
    policy = _to_approval(policy, clerk, reviewer)
    now = timezone.now()
    services.item_approve(item=policy, acting_user=approver, now=now)
    policy.refresh_from_db()
    interp.refresh_from_db()
    assert policy.is_published and interp.is_published
    assert policy.published_at == interp.published_at == now
    assert interp.index_number and interp.index_number != policy.index_number
    assert interp.publications.count() == 1
    event = AuditEvent.objects.filter(verb="item.approve", object_id=str(interp.pk)).get()
    assert "同步" in event.comment


def test_rule_on_approving_the_interpretation_takes_the_policy_along(
    together, policy, interp, clerk, reviewer, approver
):
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    interp = _to_approval(interp, clerk, reviewer)
    policy = _to_approval(policy, clerk, reviewer)
    services.item_approve(item=interp, acting_user=approver, now=timezone.now())
    policy.refresh_from_db()
    assert policy.is_published


def test_rule_on_an_interpretation_never_comes_before_its_policy(
    together, policy, interp, clerk, reviewer, approver
):
    services.interpretation_save(item=interp, acting_user=clerk, **SECTIONS)
    interp = _to_approval(interp, clerk, reviewer)
    with pytest.raises(Invalid, match="解读不能先于政策文件公开"):
        services.item_approve(item=interp, acting_user=approver, now=timezone.now())
    interp.refresh_from_db()
    assert interp.status == Item.Status.IN_APPROVAL


def test_rule_on_the_partner_is_refused_for_its_own_reason_and_nothing_is_published(
    together, org, policy, clerk, reviewer, approver
):
    """The approver drafted the interpretation: it cannot be approved by them, so
    the policy is not published either (one transaction)."""
    MembershipFactory(user=approver, organization=org, role=Role.CLERK)
    interp = _create(org, approver, title="解读", kind="interpretation", interprets=policy)
    services.interpretation_save(item=interp, acting_user=approver, **SECTIONS)
    interp = _to_approval(interp, approver, reviewer)
    policy = _to_approval(policy, clerk, reviewer)
    with pytest.raises(Invalid, match="须同步发布，但您不能审批它"):
        services.item_approve(item=policy, acting_user=approver, now=timezone.now())
    policy.refresh_from_db()
    assert policy.status == Item.Status.IN_APPROVAL
    assert not AuditEvent.objects.filter(verb="item.approve").exists()


def test_publishing_settings_need_the_office_head(org, clerk, office_head):
    from gongkai.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.publishing_settings_update(
            organization=org,
            acting_user=clerk,
            publish_with_interpretation=True,
            signoff_display="names",
        )
    saved = services.publishing_settings_update(
        organization=org,
        acting_user=office_head,
        publish_with_interpretation=True,
        signoff_display="names",
    )
    assert saved.publish_with_interpretation and saved.signoff_display == "names"
    assert AuditEvent.objects.filter(verb="publishing_settings.update").count() == 1


# --- the interpretation's delay (working days, workcal) -----------------------------------------


def test_delay_is_counted_in_working_days_across_the_national_day(org):
    # Policy published Mon 2024-09-30; 国庆 2024-10-01..07 are days off, so the
    # working days in (09-30, 10-09] are Tue 10-08 and Wed 10-09: a delay of 2.
    at = lambda d: dt.datetime.combine(d, dt.time(10), tzinfo=TZ)  # noqa: E731
    policy = PublishedItemFactory(
        organization=org, kind="policy", published_at=at(dt.date(2024, 9, 30))
    )
    interp = PublishedItemFactory(
        organization=org,
        kind="interpretation",
        interprets=policy,
        published_at=at(dt.date(2024, 10, 9)),
    )
    same_day = PublishedItemFactory(
        organization=org, kind="normative", published_at=at(dt.date(2024, 5, 6))
    )
    synced = PublishedItemFactory(
        organization=org,
        kind="interpretation",
        interprets=same_day,
        published_at=at(dt.date(2024, 5, 6)),
    )
    rows = selectors.interpretation_delays(org, max_workdays=1)
    assert [(r.interpretation, r.delay, r.late) for r in rows] == [
        (interp, 2, True),
        (synced, 0, False),
    ]
    assert selectors.late_interpretations(org, 1) == [
        {"interpretation": interp, "policy": policy, "lag": 2}
    ]


def test_timeliness_page_shows_delays_and_waiting_policies(client, org, clerk):
    at = lambda d: dt.datetime.combine(d, dt.time(10), tzinfo=TZ)  # noqa: E731
    policy = PublishedItemFactory(
        organization=org, kind="policy", published_at=at(dt.date(2024, 9, 30))
    )
    PublishedItemFactory(
        organization=org, kind="interpretation", interprets=policy, title="国庆后的解读",
        published_at=at(dt.date(2024, 10, 9)),
    )  # fmt: skip
    PublishedItemFactory(organization=org, kind="policy", title="尚无解读的政策")
    client.force_login(clerk)
    page = client.get(reverse("disclosure:timeliness")).content.decode()
    assert "国庆后的解读" in page
    assert '<td class="overdue">2（滞后）' not in page  # the default limit is 3
    assert "<td>2" in page
    assert "尚无解读的政策" in page and "已过 0 个工作日" in page


# --- 拟稿/审核/签发 ------------------------------------------------------------------------------


def _named(org, role, username, name, unit=None):
    # The whole Chinese name is kept in first_name (organizations.services), so
    # get_full_name() reads "王芳".
    user = user_with_role(org, role, username=username, first_name=name, last_name="")
    if unit:
        user.memberships.update(unit=unit)
    return user


def test_signoff_shows_real_names_when_the_body_chooses_names(org):
    PublishingSettings.objects.create(organization=org, signoff_display="names")
    clerk = _named(org, Role.CLERK, "wangfang", "王芳")
    reviewer = _named(org, Role.REVIEWER, "lisi", "李四")
    approver = _named(org, Role.APPROVER, "zhaowu", "")  # no real name recorded
    item = _to_approval(_create(org, clerk), clerk, reviewer)
    item = services.item_approve(item=item, acting_user=approver, now=timezone.now())
    # The approver has no real name: the post, never the user name "zhaowu".
    assert (item.signoff_drafter, item.signoff_reviewer, item.signoff_approver) == (
        "王芳",
        "李四",
        "审批领导",
    )
    # A later change of name (or of the setting) does not rewrite what was published.
    clerk.first_name = "王芳芳"
    clerk.save()
    PublishingSettings.objects.filter(organization=org).update(signoff_display="posts")
    item.refresh_from_db()
    assert item.signoff_drafter == "王芳"


def test_signoff_shows_posts_by_default(org):
    unit = UnitFactory(organization=org, name="党政办公室")
    clerk = _named(org, Role.CLERK, "c1", "王芳", unit=unit)
    reviewer = _named(org, Role.REVIEWER, "r1", "李四")
    approver = _named(org, Role.APPROVER, "a1", "赵五")
    item = _to_approval(_create(org, clerk), clerk, reviewer)
    item = services.item_approve(item=item, acting_user=approver, now=timezone.now())
    assert (item.signoff_drafter, item.signoff_reviewer, item.signoff_approver) == (
        "党政办公室经办人",
        "保密审查员",
        "审批领导",
    )


# --- 转载 ----------------------------------------------------------------------------------------


def test_a_reposted_item_needs_its_source(org, clerk):
    with pytest.raises(ValidationError) as exc:
        _create(org, clerk, is_reposted=True, source_name=" ")
    assert "信息来源" in exc.value.message_dict["source_name"][0]
    with pytest.raises(ValidationError) as exc:
        _create(org, clerk, is_reposted=True, source_name="县政府网", source_url="javascript:x")
    assert "source_url" in exc.value.message_dict
    item = _create(
        org, clerk, is_reposted=True, source_name="县政府网", source_url="https://x.gov.cn/1"
    )
    assert (item.source_name, item.source_url) == ("县政府网", "https://x.gov.cn/1")
    plain = _create(org, clerk, is_reposted=False, source_name="忘了取消的来源")
    assert plain.source_name == ""


# --- back office ----------------------------------------------------------------------------------


def test_back_office_package_page_saves_sections_and_pairs(client, interp, clerk):
    client.force_login(clerk)
    url = reverse("disclosure:interpretation_edit", args=[interp.pk])
    assert client.get(url).status_code == 200
    data = {
        **SECTIONS,
        "qa-TOTAL_FORMS": "2", "qa-INITIAL_FORMS": "0",
        "qa-0-question": "标准是多少？", "qa-0-answer": "每月780元。",
        "qa-1-question": "", "qa-1-answer": "",
        "video-TOTAL_FORMS": "1", "video-INITIAL_FORMS": "0",
        "video-0-title": "", "video-0-url": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    content = InterpretationContent.objects.get(item=interp)
    assert content.qa == [{"question": "标准是多少？", "answer": "每月780元。"}]
    bad = client.post(url, {**data, "purpose": ""})
    assert bad.status_code == 200 and "目的" in bad.content.decode()
    detail = client.get(interp.get_absolute_url()).content.decode()
    assert "解读材料" in detail and "简明问答 1 组" in detail


def test_back_office_figure_upload_and_settings_form(client, interp, clerk, office_head, org):
    client.force_login(clerk)
    url = reverse("disclosure:interpretation_figure_add", args=[interp.pk])
    client.post(url, {"file": in_memory(b"not an image", "x.png"), "alt_text": "说明"})
    assert not InterpretationFigure.objects.exists()
    client.post(url, {"file": in_memory(png_bytes(), "ok.png"), "alt_text": "对比图"})
    fig = InterpretationFigure.objects.get()
    image = client.get(reverse("disclosure:interpretation_figure", args=[interp.pk, fig.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    settings_url = reverse("disclosure:publishing_settings")
    data = {"publish_with_interpretation": "on", "signoff_display": "names"}
    assert client.post(settings_url, data).status_code == 403  # a clerk may not
    client.force_login(office_head)
    assert client.post(settings_url, data).status_code == 302
    assert PublishingSettings.objects.get(organization=org).signoff_display == "names"
    page = client.get(reverse("disclosure:timeliness")).content.decode()
    assert "保存发布设置" in page and "显示姓名" in page
