"""Issue #9 item 4: import bombs.  Every limit is checked before (or while)
parsing, answers in Chinese, and the import page shows the stored trial run
instead of parsing the file on every GET."""

import datetime as dt
import io
import time
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from gongkai.disclosure import imports
from gongkai.disclosure.models import ImportJob, Item
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = b"</sheetData></worksheet>"


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'.encode()


def _row(number: int, texts) -> bytes:
    cells = b"".join(
        _cell(f"{openpyxl.utils.get_column_letter(i)}{number}", t)
        for i, t in enumerate(texts, start=1)
    )
    return f'<row r="{number}">'.encode() + cells + b"</row>"


def xlsx_with_sheet(chunks, *, extra_entries=0) -> bytes:
    """A real workbook (openpyxl's own parts) whose first sheet is ``chunks``,
    written through zipfile as a stream, deflated."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info))
        with dst.open(SHEET, "w", force_zip64=True) as sheet:
            for chunk in chunks:
                sheet.write(chunk)
        for i in range(extra_entries):
            dst.writestr(f"customXml/item{i}.txt", b"x")
    return out.getvalue()


def good_rows(n: int = 2):
    yield HEAD
    yield _row(1, ["标题", "形成日期"])
    for i in range(2, n + 2):
        yield _row(i, [f"第{i}条", "2024-03-01"])
    yield TAIL


def bomb(megabytes: int = 192):
    """A huge run of repeated cells: ~``megabytes`` MB of XML that deflates to
    a few hundred KB (the issue's 656 KB -> 192 MB file)."""
    yield HEAD
    row = _row(2, ["x"] * 40)
    repeat = 1024 * 1024 // len(row) + 1
    block = row * repeat
    for _ in range(megabytes):
        yield block
    yield TAIL


def _dry_run(org, user, content, file_kind="xlsx"):
    return imports.dry_run(
        organization=org, kind="items", content=content, file_kind=file_kind, acting_user=user
    )


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if openpyxl is asked to open the workbook."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@time_machine.travel(NOW, tick=False)
def test_a_normal_xlsx_still_imports(org, office_head):
    report = _dry_run(org, office_head, xlsx_with_sheet(good_rows(3)))
    assert report.ok, (report.file_errors, [r.errors for r in report.rows])
    assert len(report.rows) == 3


def test_the_bomb_is_refused_quickly_without_parsing(org, office_head, no_parsing, monkeypatch):
    content = xlsx_with_sheet(bomb(192))
    assert len(content) < 2 * 1024 * 1024  # small on disk …
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo(SHEET).file_size > 190 * 1024 * 1024  # … huge unpacked
    scanned = []
    monkeypatch.setattr(imports, "_scan_xml", lambda *a: scanned.append(a))
    started = time.perf_counter()
    report = _dry_run(org, office_head, content)
    assert time.perf_counter() - started < 2
    assert not report.ok and not report.rows
    assert any("压缩" in e for e in report.file_errors), report.file_errors
    assert scanned == []  # refused from the declared sizes alone


def test_declared_total_size_is_bounded(org, office_head, no_parsing, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ARCHIVE_BYTES", 20 * 1024)
    report = _dry_run(org, office_head, xlsx_with_sheet(good_rows(200)))
    assert any("解压后超过" in e for e in report.file_errors), report.file_errors


def test_declared_entry_size_is_bounded(org, office_head, no_parsing, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ENTRY_BYTES", 10 * 1024)
    report = _dry_run(org, office_head, xlsx_with_sheet(good_rows(200)))
    assert any("解压后超过" in e for e in report.file_errors), report.file_errors


def test_entry_count_is_bounded(org, office_head, no_parsing):
    report = _dry_run(org, office_head, xlsx_with_sheet(good_rows(), extra_entries=250))
    assert any("内部文件" in e for e in report.file_errors), report.file_errors


def test_too_many_columns_stops_the_stream_before_openpyxl(org, office_head, no_parsing):
    chunks = [HEAD, _row(1, ["标题", "形成日期"]), _row(2, [f"c{i}" for i in range(80)]), TAIL]
    report = _dry_run(org, office_head, xlsx_with_sheet(chunks))
    assert any("第2行超过50列" in e for e in report.file_errors), report.file_errors


def test_too_many_rows_stops_the_stream_before_openpyxl(org, office_head, no_parsing):
    report = _dry_run(org, office_head, xlsx_with_sheet(good_rows(imports.MAX_SHEET_ROWS + 5)))
    assert any("一次最多导入5000行" in e for e in report.file_errors), report.file_errors


def test_overlong_cell_is_refused_before_openpyxl(org, office_head, no_parsing):
    chunks = [HEAD, _row(1, ["标题", "形成日期"]), _row(2, ["长" * 40000, "2024-03-01"]), TAIL]
    report = _dry_run(org, office_head, xlsx_with_sheet(chunks))
    assert any("32767个字符" in e for e in report.file_errors), report.file_errors


def test_doctype_entities_are_refused(org, office_head, no_parsing):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
    )
    report = _dry_run(org, office_head, xlsx_with_sheet([laughs, TAIL]))
    assert any("DOCTYPE" in e for e in report.file_errors), report.file_errors


def test_a_far_row_number_does_not_make_openpyxl_fill_a_million_rows(org, office_head):
    chunks = [HEAD, _row(1, ["标题", "形成日期"]), _row(1_000_000, ["远处", "2024-03-01"]), TAIL]
    started = time.perf_counter()
    report = _dry_run(org, office_head, xlsx_with_sheet(chunks))
    assert time.perf_counter() - started < 5
    assert any("一次最多导入5000行" in e for e in report.file_errors), report.file_errors


# --- CSV ---------------------------------------------------------------------------------

HEADER = "标题,形成日期\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("好," * 60 + "\n", "第2行超过50列"),
        ("好," + "长" * 40000 + "\n", "32767个字符"),
        ('好,"' + "x" * 200_000 + '"\n', "32767个字符"),  # past csv's own field limit
        ("好,2024-03-01\n" * (imports.MAX_SHEET_ROWS + 1), "一次最多导入5000行"),
    ],
    ids=["columns", "cell", "csv-field-limit", "rows"],
)
def test_csv_limits(org, office_head, body, message):
    report = _dry_run(org, office_head, (HEADER + body).encode(), "csv")
    assert any(message in e for e in report.file_errors), report.file_errors


def test_csv_bytes_are_bounded(org, office_head, monkeypatch):
    monkeypatch.setattr(imports, "MAX_CSV_BYTES", 1024)
    report = _dry_run(org, office_head, (HEADER + "好,2024-03-01\n" * 200).encode(), "csv")
    assert any("CSV 文件超过" in e for e in report.file_errors), report.file_errors


# --- the import page: computed once, stored, shown ------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_get_of_the_import_page_does_not_recompute_the_trial_run(
    org, client_for, clerk, monkeypatch
):
    client = client_for(clerk)
    content = "标题,形成日期\n好,2024-01-02\n,2024-01-02\n".encode()
    response = client.post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(content, "a.csv")}
    )
    job = ImportJob.objects.get()
    assert job.report is not None and job.checked_at is not None
    assert job.row_count == 2 and job.error_count == 1

    def refuse(*args, **kwargs):
        raise AssertionError("the trial run was computed again")

    monkeypatch.setattr(imports, "dry_run", refuse)
    monkeypatch.setattr(imports, "read_table", refuse)
    for _ in range(2):
        page = client.get(response["Location"])
        assert page.status_code == 200
        text = page.content.decode()
        assert "第3行" in text and "“标题”不能为空" in text and "确认导入" not in text


@time_machine.travel(NOW, tick=False)
def test_uploading_the_bomb_answers_quickly_with_a_message(org, client_for, clerk):
    client = client_for(clerk)
    content = xlsx_with_sheet(bomb(192))
    started = time.perf_counter()
    response = client.post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory(content, "bomb.xlsx")},
    )
    page = client.get(response["Location"])
    assert time.perf_counter() - started < 5
    assert page.status_code == 200 and "压缩" in page.content.decode()
    assert not Item.objects.exists()


def test_a_far_column_is_refused_not_silently_dropped(org, office_head, no_parsing):
    far = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>' + _cell("BZ2", "y") + b"</row>"
    )
    chunks = [HEAD, _row(1, ["标题", "形成日期"]), far, TAIL]
    report = _dry_run(org, office_head, xlsx_with_sheet(chunks))
    assert any("第2行超过50列" in e for e in report.file_errors), report.file_errors


# --- review of issue #9 (F3, F4): every part openpyxl reads, total text, broken streams ------


def xlsx_with_shared_strings(strings, *, part="xl/sharedStrings.xml", rows=None) -> bytes:
    """A workbook whose sheet uses shared strings stored in ``part`` (any name:
    openpyxl finds the part through [Content_Types].xml, not its extension)."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    target = part.removeprefix("xl/")
    rows = rows if rows is not None else [[0, 1]] + [[i, 1] for i in range(2, len(strings))]
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/{part}" ContentType="application/vnd.'
                    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    "</Types>".encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="'
                    + target.encode()
                    + b'"/></Relationships>',
                )
            elif info.filename == SHEET:
                continue
            dst.writestr(info, data)
        with dst.open(part, "w") as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            for text in strings:
                f.write(f"<si><t>{escape(text)}</t></si>".encode())
            f.write(b"</sst>")
        with dst.open(SHEET, "w") as f:
            f.write(HEAD)
            for n, indexes in enumerate(rows, start=1):
                cells = "".join(
                    f'<c r="{openpyxl.utils.get_column_letter(c)}{n}" t="s"><v>{i}</v></c>'
                    for c, i in enumerate(indexes, start=1)
                )
                f.write(f'<row r="{n}">{cells}</row>'.encode())
            f.write(TAIL)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_shared_strings_still_import(org, office_head):
    content = xlsx_with_shared_strings(["标题", "形成日期", "第一条", "第二条"], rows=[[0, 1]])
    report = _dry_run(org, office_head, content)
    assert report.file_errors == ["文件中除表头外没有数据行。"]  # read, header understood


def test_a_renamed_shared_strings_part_is_scanned(org, office_head, no_parsing, monkeypatch):
    """Review F3: ``xl/strings.bin`` declared as the shared strings was not scanned
    (only .xml/.rels were), so a 7.5 MB upload took 509 MB in openpyxl."""
    monkeypatch.setattr(imports, "MAX_SHARED_STRINGS", 100)
    content = xlsx_with_shared_strings(
        ["标题", "形成日期"] + [f"s{i}" for i in range(300)], part="xl/strings.bin"
    )
    report = _dry_run(org, office_head, content)
    assert any("文字单元格过多" in e for e in report.file_errors), report.file_errors


def test_a_sheet_under_a_binary_name_and_type_is_scanned(org, office_head, no_parsing):
    """A sheet named and typed as an image is still read by openpyxl (through the
    workbook's rels), so it is scanned like any sheet."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    wide = _row(2, [f"c{i}" for i in range(80)])
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SHEET:
                continue
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.png")
            dst.writestr(info, data)
        dst.writestr("xl/worksheets/sheet1.png", HEAD + _row(1, ["标题", "形成日期"]) + wide + TAIL)
    report = _dry_run(org, office_head, out.getvalue())
    assert any("第2行超过50列" in e for e in report.file_errors), report.file_errors


def test_a_part_without_a_declared_type_is_refused(org, office_head, no_parsing):
    base = xlsx_with_sheet(good_rows())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/strings.bin", b"<sst/>")
    report = _dry_run(org, office_head, out.getvalue())
    assert any("未声明类型" in e for e in report.file_errors), report.file_errors


def test_duplicate_entries_are_refused(org, office_head, no_parsing):
    base = xlsx_with_sheet(good_rows())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            dst.writestr(SHEET, HEAD + TAIL)
    report = _dry_run(org, office_head, out.getvalue())
    assert any("重名" in e for e in report.file_errors), report.file_errors


@pytest.mark.parametrize("wide", ["a", "\U0001f600"], ids=["ascii", "non-bmp"])
def test_the_total_text_is_bounded_over_all_shared_strings(
    org, office_head, no_parsing, monkeypatch, wide
):
    """Review F3: an 18 MB upload of 5,000 long shared strings took +102 MB
    (+279 MB with one emoji per string, which Python stores at 4 bytes per
    character).  Each string is below the cell limit; the total is not."""
    monkeypatch.setattr(imports, "MAX_TOTAL_CHARS", 100_000, raising=False)
    strings = ["标题", "正文"] + [wide + "x" * 30_000 for _ in range(5)]
    report = _dry_run(org, office_head, xlsx_with_shared_strings(strings))
    assert any("文字总数超过" in e for e in report.file_errors), report.file_errors


def test_the_total_text_is_bounded_over_inline_cells(org, office_head, no_parsing, monkeypatch):
    monkeypatch.setattr(imports, "MAX_TOTAL_CHARS", 100_000, raising=False)
    chunks = [HEAD, _row(1, ["标题", "形成日期"])]
    chunks += [_row(n, ["长" * 30_000, "2024-03-01"]) for n in range(2, 8)]
    report = _dry_run(org, office_head, xlsx_with_sheet([*chunks, TAIL]))
    assert any("文字总数超过" in e for e in report.file_errors), report.file_errors


def test_elements_openpyxl_keeps_are_bounded(org, office_head, no_parsing, monkeypatch):
    """openpyxl parses styles.xml (and other parts) into a tree: a styles part of
    many tiny elements is refused, while a sheet's many cells are not kept."""
    monkeypatch.setattr(imports, "MAX_RETAINED_ELEMENTS", 1000, raising=False)
    many_cells = _dry_run(org, office_head, xlsx_with_sheet(good_rows(600)))
    assert not any("内容过多" in e for e in many_cells.file_errors), many_cells.file_errors
    base = xlsx_with_sheet(good_rows())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/styles.xml":
                data = data.replace(b"</styleSheet>", b"<x/>" * 2000 + b"</styleSheet>")
            dst.writestr(info, data)
    report = _dry_run(org, office_head, out.getvalue())
    assert any("内容过多" in e for e in report.file_errors), report.file_errors


def corrupt_xlsx() -> bytes:
    """A valid workbook with bytes flipped inside the sheet's deflate stream
    (raises zlib.error, not BadZipFile, when inflated)."""
    wb = openpyxl.Workbook()
    wb.active.append(["标题", "形成日期"])
    wb.active.append(["x" * 5000, "2024-01-01"])
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
        offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(offset + 5, offset + 40):
        data[i] ^= 0x5A
    return bytes(data)


def test_a_corrupt_deflate_stream_is_a_file_error(org, office_head):
    """Review F4: zlib.error escaped the scan and answered 500."""
    report = _dry_run(org, office_head, corrupt_xlsx())
    assert report.file_errors == [imports.UNREADABLE]


@time_machine.travel(NOW, tick=False)
def test_uploading_a_corrupt_xlsx_shows_the_message(org, client_for, office_head):
    client = client_for(office_head)
    response = client.post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory(corrupt_xlsx(), "a.xlsx")},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.report["file_errors"] == [imports.UNREADABLE]
    for _ in range(2):
        page = client.get(response["Location"])
        assert page.status_code == 200 and "无法读取该 Excel 文件" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_failing_trial_run_leaves_no_orphan_job(org, client_for, office_head, monkeypatch):
    """Review F4: the job row was created before the trial run, so a crash left a
    job without a stored result that every GET checked (and crashed) again."""

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "dry_run", crash)
    client = client_for(office_head)
    client.raise_request_exception = False
    content = "标题,形成日期\n好,2024-01-02\n".encode()
    response = client.post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(content, "a.csv")}
    )
    assert response.status_code == 500
    assert not ImportJob.objects.exists()


def test_import_check_stores_a_file_error_instead_of_raising(org, office_head, monkeypatch):
    job = ImportJob.objects.create(
        organization=org,
        kind="items",
        path="x.xlsx",
        original_name="x.xlsx",
        created_by=office_head,
    )
    imports.import_check(job=job, content=corrupt_xlsx(), acting_user=office_head, now=NOW)
    job.refresh_from_db()
    assert job.report["file_errors"] == [imports.UNREADABLE] and job.checked_at == NOW
