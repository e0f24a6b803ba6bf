import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from gongkai.uploads import (
    ALL_KINDS,
    UploadRejected,
    check_upload,
    download_response,
    store_upload,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def zip_bytes(*members: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for member in members:
            archive.writestr(member, "<x/>")
    return buf.getvalue()


def docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("政府信息公开")
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def up(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("A.PDF", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        ("photo.jpeg", JPG, "jpg"),
        ("old.doc", OLE, "doc"),
        ("old.xls", OLE, "xls"),
        ("答复书.docx", docx_bytes(), "docx"),
        ("表.xlsx", xlsx_bytes(), "xlsx"),
        ("公文.ofd", zip_bytes("OFD.xml", "Doc_0/Document.xml"), "ofd"),
        ("材料.zip", zip_bytes("a.txt"), "zip"),
        ("说明.txt", "政府信息公开申请\n".encode(), "txt"),
        ("gbk.txt", "政府信息公开申请".encode("gb18030"), "txt"),
        ("data.csv", "编号,名称\n1,甲\n".encode("utf-8-sig"), "csv"),
    ],
)
def test_accepted(name, content, kind):
    result = check_upload(up(name, content), allowed=ALL_KINDS)
    assert result.kind == kind
    assert result.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "upload_dangerous"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "upload_dangerous"),
        ("setup.exe", b"MZ\x90\x00", "upload_dangerous"),
        ("app.js", b"alert(1)", "upload_dangerous"),
        ("report.pdf.exe", b"MZ\x90\x00", "upload_dangerous"),
        ("noext", PDF, "upload_no_extension"),
        ("a.rar", b"Rar!\x1a\x07\x00", "upload_type_not_allowed"),
        ("fake.pdf", b"<html><body>not a pdf</body></html>", "upload_content_mismatch"),
        ("fake.png", PDF, "upload_content_mismatch"),
        ("fake.jpg", PNG, "upload_content_mismatch"),
        ("fake.doc", PDF, "upload_content_mismatch"),
        ("fake.docx", zip_bytes("a.txt"), "upload_content_mismatch"),
        ("fake.xlsx", docx_bytes(), "upload_content_mismatch"),
        ("fake.ofd", PDF, "upload_content_mismatch"),
        ("broken.zip", b"PK\x03\x04garbage", "upload_content_mismatch"),
        ("page.txt", b"  <!DOCTYPE html><html></html>", "upload_content_mismatch"),
        ("svg.csv", b"<svg onload=alert(1)>", "upload_content_mismatch"),
        ("binary.txt", b"abc\x00\x01\x02", "upload_content_mismatch"),
        ("empty.pdf", b"", "upload_empty"),
    ],
)
def test_refused_with_chinese_message(name, content, code):
    with pytest.raises(UploadRejected) as exc:
        check_upload(up(name, content), allowed=ALL_KINDS)
    assert exc.value.code == code
    message = exc.value.messages[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_default_allows_documents_only():
    with pytest.raises(UploadRejected) as exc:
        check_upload(up("a.png", PNG))
    assert exc.value.code == "upload_type_not_allowed"
    assert "PDF" in exc.value.messages[0]


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    check_upload(up("a.pdf", PDF + b"0" * (1024 - len(PDF))))
    with pytest.raises(UploadRejected) as exc:
        check_upload(up("a.pdf", PDF + b"0" * 1024))
    assert exc.value.code == "upload_too_large"
    assert "上限为 1 KB" in exc.value.messages[0]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        check_upload(up("a.pdf", PDF), allowed={"pdf", "exe"})


@pytest.fixture
def media(local_files):
    return local_files


@pytest.mark.django_db
def test_store_and_download(media, org):
    path = store_upload(
        up("../../答复书.pdf", PDF), organization=org, subdir="applications/replies"
    )
    assert path.startswith(f"{org.pk}/applications/replies/")
    assert path.endswith(".pdf")
    assert "答复书" not in path and ".." not in path
    assert (media / path).read_bytes() == PDF
    response = download_response(path, "答复书.pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%AD%94" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    response.file_to_stream.close()


@pytest.mark.django_db
def test_store_refuses_bad_file_and_writes_nothing(media, org):
    with pytest.raises(UploadRejected):
        store_upload(up("x.pdf", b"<html>"), organization=org, subdir="misc")
    assert not media.exists() or not any(media.rglob("*.*"))


@pytest.mark.django_db
def test_store_refuses_unsafe_subdir(media, org):
    with pytest.raises(ValueError):
        store_upload(up("x.pdf", PDF), organization=org, subdir="../etc")


def test_download_refuses_paths_outside_media(media):
    media.mkdir(parents=True)
    (media.parent / "secret.txt").write_text("x")
    for bad in ("../secret.txt", "/etc/passwd", "", "nope.pdf"):
        with pytest.raises(Http404):
            download_response(bad, "x.txt")


def test_download_never_inline_html(media):
    media.mkdir(parents=True)
    (media / "legacy.html").write_text("<script>alert(1)</script>")
    response = download_response("legacy.html", "page.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.file_to_stream.close()


def test_reencode_image_keeps_pixels_only():
    """A QR code (forced to PNG, shrunk) from a JPEG with an ICC profile and EXIF:
    the PNG carries neither (PNG writing would copy the ICC profile from the
    decoded image unless it is dropped)."""
    from PIL import Image

    from gongkai.uploads import ImageTooLarge, ImageUnreadable, reencode_image

    exif = Image.Exif()
    exif[0x013B] = "Owner"
    source = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 0, 0)).save(
        source, format="JPEG", exif=exif.tobytes(), icc_profile=b"ICC-PROFILE-Z"
    )
    clean = reencode_image(source, max_pixels=10**6, kind="png", max_side=150)
    assert (clean.kind, clean.width, clean.height) == ("png", 150, 100)
    assert b"ICC-PROFILE" not in clean.content and b"Owner" not in clean.content
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "PNG" and not set(image.info) & {"icc_profile", "exif"}
    with pytest.raises(ImageTooLarge) as too_large:
        reencode_image(source, max_pixels=300 * 200 - 1)
    assert (too_large.value.width, too_large.value.height) == (300, 200)
    with pytest.raises(ImageUnreadable):
        reencode_image(io.BytesIO(PNG), max_pixels=10**6)
