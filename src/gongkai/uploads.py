"""Checking, storing and handing out uploaded files.

Every upload in gongkai goes through :func:`check_upload` (size, extension
allow-list, and the file's *content* must match its extension), is stored by
:func:`store_upload` under a random name in Django's default storage (below
``MEDIA_ROOT``, outside any web root, or in the private S3-compatible bucket
of gongkai/config/objectstorage.py), and leaves only through :func:`download_response`, always as an
attachment with ``nosniff`` so no upload is ever rendered by the browser.
"""

from __future__ import annotations

import io
import re
import secrets
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

# kind -> (label shown to users, MIME type sent on download)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "application/pdf"),
    "ofd": ("OFD", "application/ofd"),
    "docx": (
        "Word（.docx）",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("Excel（.xlsx）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ("Word 97-2003（.doc）", "application/msword"),
    "xls": ("Excel 97-2003（.xls）", "application/vnd.ms-excel"),
    "jpg": ("JPEG 图片", "image/jpeg"),
    "png": ("PNG 图片", "image/png"),
    "txt": ("纯文本", "text/plain; charset=utf-8"),
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "zip": ("ZIP 压缩包", "application/zip"),
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ALL_KINDS = frozenset(KINDS)
DOCUMENT_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "doc", "xls"})
IMAGE_KINDS = frozenset({"jpg", "png"})
# Named only to give a pointed message; everything outside the allow-list is refused anyway.
DANGEROUS_EXTENSIONS = frozenset(
    {"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "js", "mjs", "exe", "com", "bat",
     "cmd", "msi", "dll", "scr", "sh", "ps1", "vbs", "jar", "php", "asp", "aspx", "jsp", "swf",
     "hta", "lnk"}
)  # fmt: skip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MARKUP_PREFIXES = (
    b"<!doctype",
    b"<html",
    b"<svg",
    b"<?xml",
    b"<script",
    b"<head",
    b"<body",
    b"<iframe",
)
# Members that identify an Office Open XML / OFD package (GB/T 33190 for OFD).
ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}
HEAD_BYTES = 8192
SUBDIR_RE = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


class UploadRejected(ValidationError):
    """A refused upload; ``message`` is Chinese and ready for the user. Forms can
    let it propagate from ``clean_<field>`` like any ValidationError."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # one of KINDS
    size: int
    original_name: str
    content_type: str


def kinds_label(kinds: Iterable[str]) -> str:
    return "、".join(KINDS[k][0] for k in KINDS if k in set(kinds))


def _extension(name: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    return EXTENSION_ALIASES.get(suffix, suffix)


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # The head may end inside a multi-byte character: drop up to 3 trailing bytes.
    sample = head[:-3] if len(head) >= HEAD_BYTES else head
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_names(file) -> set[str] | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)


def _content_matches(kind: str, file, head: bytes) -> bool:
    stripped = head.lstrip()
    if kind == "pdf":
        return stripped.startswith(b"%PDF-")
    if kind in ("doc", "xls"):
        return head.startswith(OLE_MAGIC)
    if kind == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind in ("docx", "xlsx", "ofd", "zip"):
        if not head.startswith(ZIP_MAGICS):
            return False
        names = _zip_names(file)
        if names is None:
            return False
        return kind == "zip" or ZIP_MEMBERS[kind] in names
    if kind in ("txt", "csv"):
        lowered = stripped.lstrip(b"\xef\xbb\xbf").lower()
        return _looks_like_text(head) and not lowered.startswith(MARKUP_PREFIXES)
    return False


def check_upload(file, *, allowed: Iterable[str] = DOCUMENT_KINDS) -> CheckedUpload:
    """Check an uploaded file; raise :class:`UploadRejected` with a Chinese message.

    ``allowed`` is a set of kinds from :data:`KINDS` (default: documents).
    """
    allowed = frozenset(allowed)
    unknown = allowed - ALL_KINDS
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    name = PurePosixPath(str(getattr(file, "name", "") or "").replace("\\", "/")).name
    ext = _extension(name)
    if not ext:
        raise UploadRejected(
            "无法识别文件类型：文件名没有扩展名。允许的类型：%(kinds)s。",
            code="upload_no_extension",
            params={"kinds": kinds_label(allowed)},
        )
    if ext in DANGEROUS_EXTENSIONS:
        raise UploadRejected(
            "出于安全原因，不接受 .%(ext)s 文件（网页、脚本和可执行文件可能携带恶意代码）。允许的类型：%(kinds)s。",
            code="upload_dangerous",
            params={"ext": ext, "kinds": kinds_label(allowed)},
        )
    if ext not in allowed:
        raise UploadRejected(
            "不支持 .%(ext)s 文件。允许的类型：%(kinds)s。",
            code="upload_type_not_allowed",
            params={"ext": ext, "kinds": kinds_label(allowed)},
        )
    size = int(getattr(file, "size", 0) or 0)
    limit = int(settings.UPLOAD_MAX_BYTES)
    if size > limit:
        raise UploadRejected(
            "文件过大（%(size)s），上限为 %(limit)s。请压缩或拆分后再上传。",
            code="upload_too_large",
            params={"size": _human_size(size), "limit": _human_size(limit)},
        )
    head = _read_head(file)
    if size == 0 or not head:
        raise UploadRejected("文件是空的，请检查后重新上传。", code="upload_empty")
    if not _content_matches(ext, file, head):
        raise UploadRejected(
            "文件内容与扩展名 .%(ext)s 不符（可能是改了扩展名的其他文件或文件已损坏），请上传真实的 %(label)s 文件。",
            code="upload_content_mismatch",
            params={"ext": ext, "label": KINDS[ext][0]},
        )
    return CheckedUpload(kind=ext, size=size, original_name=name, content_type=KINDS[ext][1])


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def store_upload(file, *, organization, subdir: str, allowed: Iterable[str] = ALL_KINDS) -> str:
    """Check and store ``file``; return its name in the default storage.

    The name is random (``<org id>/<subdir>/<year>/<32 hex>.<ext>``): the user's
    file name is kept by the caller in the database, never on disk.
    """
    path, _ = store_checked_upload(file, organization=organization, subdir=subdir, allowed=allowed)
    return path


def store_checked_upload(
    file, *, organization, subdir: str, allowed: Iterable[str] = ALL_KINDS
) -> tuple[str, CheckedUpload]:
    """Like :func:`store_upload`, and also return what the (single) check found,
    so a caller that needs the kind and size does not check the file again."""
    if not SUBDIR_RE.match(subdir):
        raise ValueError("subdir must be lower-case ASCII path segments")
    checked = check_upload(file, allowed=allowed)
    year = timezone.localdate().year
    name = f"{organization.pk}/{subdir}/{year}/{secrets.token_hex(16)}.{checked.kind}"
    file.seek(0)
    stored = default_storage.save(name, file)
    return stored, checked


def _checked_name(path: str) -> str:
    """``path`` as stored by :func:`store_upload`: relative, without ``..``."""
    parts = PurePosixPath(path).parts if path else ()
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        raise Http404("文件不存在。")
    return path


def open_stored(path: str, storage=None) -> tuple[IO[bytes], int]:
    """Open a stored file for reading as a stream; return it and its size.

    Works for every Django storage: the local FileSystemStorage and the S3
    backend (whose own file object would first copy the whole object into a
    temporary file, so the object's body is streamed straight from S3 instead).
    Raises Http404 when there is no such file.
    """
    storage = storage or default_storage
    name = _checked_name(path)
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, SuspiciousFileOperation):
        raise Http404("文件不存在。") from None
    s3_object = getattr(handle, "obj", None)  # django-storages' S3File
    if s3_object is not None:
        handle.close()
        body = s3_object.get()
        return body["Body"], int(body["ContentLength"])
    return handle, int(handle.size)


def download_response(path: str, filename: str) -> FileResponse:
    """Send a stored upload as an attachment (never inline), with ``nosniff``.

    ``path`` is what :func:`store_upload` returned (a name in the default
    storage, local or S3); ``filename`` the name the user sees.  The file is
    streamed from storage, never read whole.  Callers check permission before
    calling this.
    """
    stream, size = open_stored(path)
    stored_name = PurePosixPath(path).name
    kind = _extension(stored_name)
    content_type = KINDS[kind][1] if kind in KINDS else "application/octet-stream"
    safe_name = PurePosixPath(filename.replace("\\", "/")).name or stored_name
    response = FileResponse(
        stream, as_attachment=True, filename=safe_name, content_type=content_type
    )
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class ImageUnreadable(ValueError):
    """Not a JPEG or PNG that decodes (truncated, corrupt, another format)."""


class ImageTooLarge(ValueError):
    """More pixels than the caller allows; found from the header, before decoding."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height}")
        self.width, self.height = width, height


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    kind: str  # "jpg" or "png"
    width: int
    height: int


IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def reencode_image(
    file, *, max_pixels: int, kind: str | None = None, max_side: int | None = None
) -> CleanImage:
    """An uploaded JPEG/PNG decoded and written again from its pixels only, for
    images shown inline on public pages: no EXIF (GPS position, camera owner),
    XMP (author names), ICC profile, PNG text chunks or bytes appended after the
    image survive.  The camera's orientation is applied first, so a turned photo
    stays upright without its EXIF tag.  ``kind`` forces the output format (the
    source's otherwise); ``max_side`` shrinks it to fit.  Check the upload with
    :func:`check_upload` first.  Raises ImageTooLarge or ImageUnreadable."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooLarge(width, height)
            source = {v: k for k, v in IMAGE_FORMATS.items()}.get(image.format or "")
            if source is None:
                raise ImageUnreadable(image.format or "")
            image.load()
            try:
                upright = ImageOps.exif_transpose(image)
            except (ValueError, TypeError, KeyError, IndexError, struct.error):
                upright = image  # a broken EXIF block: its orientation is unknown
            kind = kind or source
            alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            if upright.mode in ("1", "L") and not alpha:
                mode = "L"
            else:
                mode = "RGBA" if alpha and kind == "png" else "RGB"
            clean = upright.convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageUnreadable(str(exc)) from exc
    finally:
        file.seek(0)
    clean.info.clear()  # PNG writing would otherwise copy the ICC profile and dpi
    if max_side:
        clean.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if kind == "jpg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=max_side is not None)
    return CleanImage(out.getvalue(), kind, *clean.size)


def in_memory(content: bytes, name: str):
    """A Django UploadedFile from bytes (for demo loaders and tests)."""
    return SimpleUploadedFile(name, content)


__all__ = [
    "ALL_KINDS",
    "DOCUMENT_KINDS",
    "IMAGE_KINDS",
    "KINDS",
    "CheckedUpload",
    "CleanImage",
    "ImageTooLarge",
    "ImageUnreadable",
    "UploadRejected",
    "check_upload",
    "download_response",
    "in_memory",
    "open_stored",
    "reencode_image",
    "store_checked_upload",
    "store_upload",
]
