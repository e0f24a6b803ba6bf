"""Bytes of a text or HTML file -> str: UTF-8, GBK/GB18030, UTF-16, detected."""

from __future__ import annotations

import re

from gongkai.annual.readers.errors import ReadError

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def looks_binary(data: bytes) -> bool:
    """Control bytes that no text file of a report contains (UTF-16 is handled before)."""
    sample = data[:8192]
    if not sample:
        return False
    bad = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return bad > max(2, len(sample) // 200)


def _utf16(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文字") from exc
    sample = data[:4096]
    if len(sample) >= 4:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) // 2
        for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if zeros > half * 0.3:
                try:
                    return data.decode(enc)
                except UnicodeDecodeError:
                    return None
    return None


def decode_text(data: bytes, *, html: bool = False) -> str:
    """Decode: BOM/UTF-16, UTF-8, the HTML meta charset, GB18030, then charset-normalizer."""
    text = _utf16(data)
    if text is not None:
        return text
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            enc = m.group(1).decode("ascii", "replace").lower()
            if enc in ("gb2312", "gbk", "gb18030", "x-gbk"):
                enc = "gb18030"
            try:
                return data.decode(enc)
            except (LookupError, UnicodeDecodeError):
                pass
    if looks_binary(data):
        raise ReadError("文件不是文字、HTML、DOCX 或 PDF 文件，无法读取")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None:
        try:
            return data.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    raise ReadError("无法识别文件的文字编码（试过 UTF-8、GB18030、UTF-16）")
