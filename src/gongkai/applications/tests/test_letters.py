from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from docx.shared import Pt

from gongkai.applications import services
from gongkai.applications.letters import DEFAULTS, PLACEHOLDERS, check_template
from gongkai.applications.models import Letter, LetterKind, LetterTemplate

from .factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(letter: Letter) -> str:
    with letter.file.open("rb") as fh:
        doc = Document(fh)
    return "\n".join(p.text for p in doc.paragraphs)


def _closed(org, clerk, outcome, **kw):
    a = receive(org, user=clerk, **kw)
    extra = {}
    if outcome == "other_no_correction":
        services.application_request_correction(
            application=a,
            on=date(2024, 9, 30),
            until=date(2024, 10, 15),
            what="请写明年份",
            acting_user=clerk,
        )
        extra["reply_on"] = date(2024, 10, 16)
    services.application_close(
        application=a,
        outcome=outcome,
        reply_on=extra.get("reply_on", date(2024, 10, 18)),
        acting_user=clerk,
        reasons="经审查作出本答复",
    )
    return a


# outcome -> (letter kind, article text the letter must cite)
OUTCOME_LETTERS = [
    ("granted", "granted", "第三十六条第（二）项"),
    ("partial", "partial", "第三十七条"),
    ("withheld_secret", "withheld", "第十四条"),
    ("withheld_third_party", "withheld", "第十五条"),
    ("withheld_process", "withheld", "第十六条第二款"),
    ("unable_not_held", "unable", "第三十六条第（四）项"),
    ("unable_needs_creation", "unable", "第三十八条"),
    ("declined_petition", "declined", "第三十九条第一款"),
    ("declined_repeat", "declined", "第三十六条第（六）项"),
    ("other_no_correction", "other", "第三十条"),
    ("other_other", "other", "第三十六条"),
]


@pytest.mark.parametrize(("outcome", "kind", "article"), OUTCOME_LETTERS)
def test_outcome_letters(org, clerk, outcome, kind, article):
    a = _closed(org, clerk, outcome)
    letter = a.letters.get(kind=kind)
    text = text_of(letter)
    assert "张三" in text
    assert "2024年9月27日" in text  # received
    assert article in text
    assert letter.reference in text and letter.reference.startswith("〔2024〕依申请第")
    assert org.name in text
    assert a.tracking_code in text
    assert "{" not in text  # every placeholder filled


def test_clock_letters_cite_their_articles(org, clerk, office_head):
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_consult(
        application=a,
        kind="other_body_consulted",
        on=date(2025, 3, 4),
        party="区自然资源局",
        acting_user=clerk,
    )
    services.application_record_consultation_answer(
        application=a, on=date(2025, 3, 6), acting_user=clerk
    )
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=date(2025, 3, 7),
        party="某某公司",
        acting_user=clerk,
    )
    services.application_record_consultation_answer(
        application=a, on=date(2025, 3, 10), acting_user=clerk
    )
    request = services.application_extension_request(
        application=a,
        days=15,
        reason="需要汇总多个科室的材料",
        on=date(2025, 3, 12),
        acting_user=clerk,
    )
    services.application_extension_decide(
        extension_request=request, approve=True, on=date(2025, 3, 12), acting_user=office_head
    )
    services.application_send_fee_notice(
        application=a, on=date(2025, 3, 13), method="per_page", pages=150, acting_user=clerk
    )
    b = receive(org, user=clerk)
    services.application_request_correction(
        application=b,
        on=date(2024, 9, 30),
        until=date(2024, 10, 15),
        what="请写明所需文件的文号",
        acting_user=clerk,
    )
    c = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_request_reasons(
        application=c,
        on=date(2025, 6, 5),
        until=date(2025, 6, 16),
        acting_user=clerk,
        now=timezone.now(),
    )
    services.application_set_later_date(
        application=c,
        on=date(2025, 6, 16),
        until=date(2025, 8, 29),
        acting_user=clerk,
        now=timezone.now(),
    )

    expect = {
        LetterKind.CONSULT_OTHER_BODY: ["第三十四条", "区自然资源局", "视为同意"],
        LetterKind.CONSULT_THIRD_PARTY: ["第三十二条", "某某公司", "15个工作日"],
        LetterKind.CONSULT_APPLICANT: ["第三十三条第三款", "张三"],
        LetterKind.EXTENSION: ["第三十三条第二款", "15个工作日", "需要汇总多个科室的材料"],
        LetterKind.FEE: ["国办函〔2020〕109号", "1,700元", "20个工作日"],
        LetterKind.CORRECTION: ["第三十条", "请写明所需文件的文号", "2024年10月15日"],
        LetterKind.REASONS: ["第三十五条", "2025年6月16日"],
        LetterKind.LATER_DATE: ["第三十五条", "2025年8月29日"],
    }
    for kind, needles in expect.items():
        letter = Letter.objects.filter(kind=kind).first()
        assert letter is not None, kind
        text = text_of(letter)
        for needle in needles:
            assert needle in text, (kind, needle)
    # The extension letter states the new due date.
    a.refresh_from_db()
    ext = Letter.objects.get(kind=LetterKind.EXTENSION)
    assert "答复期限为" in text_of(ext)
    # The fee letter gives the payment deadline: 20 working days after 3/13 = 4/11
    # (3/14=1, 3/17-21=2-6, 3/24-28=7-11, 3/31-4/3=12-15, 4/4 off, 4/7-11=16-20).
    assert "2025年4月11日" in text_of(Letter.objects.get(kind=LetterKind.FEE))


def test_layout_follows_gbt_9704(org, clerk):
    a = _closed(org, clerk, "granted")
    with a.letters.get().file.open("rb") as fh:
        doc = Document(fh)
    section = doc.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    # DOCX stores twips (1/1440 inch): compare to the tenth of a millimetre.
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22)
    assert "方正小标宋简体" in title._element.rPr.rFonts.attrib.values()
    body = doc.paragraphs[3].runs[0]
    assert body.font.size == Pt(16)
    assert "仿宋_GB2312" in body._element.rPr.rFonts.attrib.values()
    texts = [p.text for p in doc.paragraphs]
    assert texts[-2:] == [org.name, "2024年10月18日"]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_letter_converts_to_pdf(org, clerk, tmp_path):
    a = _closed(org, clerk, "partial")
    # Through the storage, not .path: the PostgreSQL run keeps files in S3.
    letter = a.letters.get()
    source = tmp_path / Path(letter.file.name).name
    with letter.file.open("rb") as stored:
        source.write_bytes(stored.read())
    out = tmp_path / "pdf"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (source.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_administrator_template_is_used(org, clerk, org_admin):
    services.letter_template_save(
        organization=org,
        kind="granted",
        title="答复书",
        body="{申请人}：\n您于{收到日期}的申请，本机关同意公开。依据条例第三十六条第（二）项。",
        acting_user=org_admin,
    )
    a = _closed(org, clerk, "granted")
    letter = a.letters.get()
    assert letter.title == "答复书"
    text = text_of(letter)
    assert "张三：" in text and "2024年9月27日的申请" in text


def test_template_with_unknown_placeholder_is_refused(org, org_admin):
    with pytest.raises(ValidationError, match="未知的占位符"):
        services.letter_template_save(
            organization=org,
            kind="granted",
            title="答复书",
            body="{申请者}：你好",
            acting_user=org_admin,
        )
    with pytest.raises(ValidationError, match="花括号不成对"):
        services.letter_template_save(
            organization=org,
            kind="granted",
            title="答复书",
            body="{申请人：你好",
            acting_user=org_admin,
        )
    assert not LetterTemplate.objects.exists()


def test_clerk_cannot_edit_templates(org, clerk):
    with pytest.raises(PermissionError):
        services.letter_template_save(
            organization=org, kind="granted", title="x", body="y", acting_user=clerk
        )


def test_defaults_use_only_known_placeholders():
    assert set(DEFAULTS) == set(LetterKind.values)
    for default in DEFAULTS.values():
        assert check_template(title=default.title, body=default.body) == []
    assert "申请人" in PLACEHOLDERS


# --- user-entered fragments inside letters ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentence", "expected"),
    [
        ("需延长答复期限。", False, "需延长答复期限"),
        ("需调取档案，", False, "需调取档案"),
        ("  需协调多个部门；  ", False, "需协调多个部门"),
        ("涉及个人隐私", True, "涉及个人隐私。"),
        ("涉及个人隐私。", True, "涉及个人隐私。"),
        ("涉及个人隐私，。", True, "涉及个人隐私。"),
        ("见《某某办法》", True, "见《某某办法》。"),
        ("是否属实？", True, "是否属实？"),
        ("", True, ""),
    ],
)
def test_clean_fragment(text, sentence, expected):
    from gongkai.applications.letters import clean_fragment

    assert clean_fragment(text, sentence=sentence) == expected


def test_letters_do_not_double_the_punctuation(org, clerk, office_head):
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_extension_request(
        application=a,
        days=10,
        reason="需延长答复期限。",
        on=date(2025, 3, 10),
        acting_user=office_head,
    )
    text = text_of(a.letters.get(kind=LetterKind.EXTENSION))
    assert "因需延长答复期限，本机关不能" in text
    assert "。，" not in text
    b = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_close(
        application=b,
        outcome="withheld_third_party",
        reply_on=date(2025, 3, 20),
        reasons="涉及第三方个人隐私，",
        acting_user=clerk,
    )
    text = text_of(b.letters.get(kind=LetterKind.WITHHELD))
    assert "理由如下：涉及第三方个人隐私。" in text and "，\n" not in text


# --- template safety (issue #9 item 6) ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{申请人:d}：你好", "{申请人:d}"),  # closing used to answer 500
        ("{申请人:>999999999}：你好", "{申请人:>999999999}"),  # would allocate a gigabyte
        ("{申请人!r}：你好", "{申请人!r}"),
        ("{申请人.__class__}：你好", "{申请人.__class__}"),
        ("{申请人[0]}：你好", "{申请人[0]}"),
        ("{}：你好", "{}"),
        ("{0}：你好", "{0}"),
        ("{申请人:{申请人}}：你好", "{申请人:{申请人}}"),
    ],
)
def test_template_with_format_spec_or_access_is_refused(org, org_admin, body, needle):
    with pytest.raises(ValidationError) as info:
        services.letter_template_save(
            organization=org, kind="granted", title="答复书", body=body, acting_user=org_admin
        )
    assert any(needle in m for m in info.value.messages), info.value.messages
    assert not LetterTemplate.objects.exists()


def test_overlong_template_is_refused(org, org_admin):
    from gongkai.applications.letters import MAX_BODY_LENGTH

    with pytest.raises(ValidationError, match="过长"):
        services.letter_template_save(
            organization=org,
            kind="granted",
            title="答复书",
            body="{申请人}：" + "字" * MAX_BODY_LENGTH,
            acting_user=org_admin,
        )
    with pytest.raises(ValidationError, match="占位符过多"):
        services.letter_template_save(
            organization=org,
            kind="granted",
            title="答复书",
            body="{申请内容}" * 200,
            acting_user=org_admin,
        )
    assert not LetterTemplate.objects.exists()


def test_template_form_names_the_bad_placeholder():
    from gongkai.applications.forms import TemplateForm

    form = TemplateForm({"title": "答复书{申请人!s}", "body": "{申请人:d}：你好"})
    assert not form.is_valid()
    assert any("{申请人:d}" in e for e in form.errors["body"])
    assert any("{申请人!s}" in e for e in form.errors["title"])


def _store_broken_template(org, kind="granted", body="{申请人:d}：你好"):
    # A template stored before templates were checked this strictly (or by hand).
    return LetterTemplate.objects.create(organization=org, kind=kind, title="答复书", body=body)


def test_broken_stored_template_does_not_lose_the_closing(org, clerk, org_admin):
    from gongkai.applications.letters import owed_letters
    from gongkai.audit.models import AuditEvent

    _store_broken_template(org)
    a = receive(org, user=clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    a.refresh_from_db()
    assert a.status == "closed" and a.outcome == "granted" and a.reply_on == date(2024, 10, 18)
    assert not a.letters.exists()
    [owed] = owed_letters(a)
    assert owed.kind == LetterKind.GRANTED
    assert "{申请人:d}" in owed.message and "文书模板" in owed.message
    assert AuditEvent.objects.filter(verb="letter.failed").exists()

    # Once the template is fixed the letter is generated from the page's button.
    with pytest.raises(ValidationError, match="模板"):
        services.letter_regenerate(
            application=a, event=owed.event, kind=owed.kind, acting_user=clerk, now=timezone.now()
        )
    services.letter_template_save(
        organization=org,
        kind="granted",
        title="答复书",
        body="{申请人}：同意公开。",
        acting_user=org_admin,
    )
    letter = services.letter_regenerate(
        application=a, event=owed.event, kind=owed.kind, acting_user=clerk, now=timezone.now()
    )
    assert "张三：同意公开。" in text_of(letter)
    assert letter.issued_on == date(2024, 10, 18)
    assert owed_letters(a) == []
    assert AuditEvent.objects.filter(verb="letter.regenerate").exists()
    # A letter that exists is not generated twice.
    with pytest.raises(ValidationError, match="已生成"):
        services.letter_regenerate(
            application=a, event=owed.event, kind=owed.kind, acting_user=clerk, now=timezone.now()
        )


def test_huge_padding_in_a_stored_template_is_never_rendered(org, clerk):
    _store_broken_template(org, body="{申请人:>999999999}：你好")
    a = receive(org, user=clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    a.refresh_from_db()
    assert a.status == "closed" and not a.letters.exists()


def test_fill_never_formats():
    from gongkai.applications.letters import LetterTemplateError, fill

    assert fill("{申请人}：{{字面}}", {"申请人": "张三"}) == "张三：{字面}"
    with pytest.raises(LetterTemplateError):
        fill("{申请人:d}", {"申请人": "张三"})
    with pytest.raises(LetterTemplateError):
        fill("{申请人.upper}", {"申请人": "张三"})


def test_control_characters_in_typed_text_do_not_break_the_letter(org, clerk):
    a = receive(org, user=clerk, applicant_name="张\x0b三", description="名单\x1f一份")
    services.application_close(
        application=a,
        outcome="withheld_third_party",
        reply_on=date(2024, 10, 18),
        acting_user=clerk,
        reasons="涉及\x07隐私",
    )
    text = text_of(a.letters.get())
    assert "张三" in text and "涉及隐私" in text


# --- where to appeal (issue #9 item 8) ----------------------------------------------------


def test_closing_letters_name_the_reconsideration_body_and_court(org, clerk, district):
    # No court recorded: the letter says so in words that are never wrong.
    a = _closed(org, clerk, "granted")
    text = text_of(a.letters.get())
    assert "向测试区人民政府申请行政复议" in text
    assert "向有管辖权的人民法院提起行政诉讼" in text
    org.court = "测试区人民法院"
    org.save()
    b = _closed(org, clerk, "unable_not_held")
    text = text_of(b.letters.get())
    assert "六十日内依法向测试区人民政府申请行政复议" in text
    assert "六个月内依法向测试区人民法院提起行政诉讼" in text
    # A body's own record wins over the hierarchy.
    org.reconsideration_body = "测试市测试区人民政府"
    org.save()
    c = _closed(org, clerk, "granted")
    assert "向测试市测试区人民政府申请行政复议" in text_of(c.letters.get())


def test_closing_letter_without_a_known_reconsideration_body_names_none(district, clerk):
    # The county itself has no parent recorded: never guess its reconsideration body.
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    user = user_with_role(district, Role.CLERK, username="district_clerk")
    a = _closed(district, user, "granted")
    text = text_of(a.letters.get())
    assert "依法向有权受理的行政复议机关申请行政复议" in text
    assert "测试区人民政府申请行政复议" not in text


@pytest.mark.parametrize("outcome", ["withheld_third_party", "partial"])
def test_refusal_letters_say_reconsideration_comes_first(org, clerk, outcome):
    # 行政复议法（2023）第二十三条第一款第（四）项、第二款.
    a = _closed(org, clerk, outcome)
    text = text_of(a.letters.get())
    assert "第二十三条" in text and "先向测试区人民政府申请行政复议" in text
    assert "六个月内" not in text


@pytest.mark.parametrize(
    ("kind", "party", "right", "wrong"),
    [
        ("third_party_consulted", "某某公司", "第三十二条", "第三十四条"),
        ("other_body_consulted", "区自然资源局", "第三十四条", "第三十二条"),
    ],
)
def test_consultation_letters_cite_the_article_for_the_consultee(
    org, clerk, kind, party, right, wrong
):
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_consult(
        application=a, kind=kind, on=date(2025, 3, 4), party=party, acting_user=clerk
    )
    for letter in a.letters.all():
        text = text_of(letter)
        assert right in text, letter.kind
        assert wrong not in text, letter.kind
