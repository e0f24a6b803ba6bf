"""Text out of attachments, for search and the privacy scan (PDF, DOCX, TXT/CSV).

Extraction never fails an upload: a file whose text cannot be read is kept
and simply contributes no text (the reviewer still opens it).
"""

from __future__ import annotations

import io
import logging

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

# Enough for search and scanning; a 300-page annex does not need to live in one row.
MAX_CHARS = 200_000


def extract_text(content: bytes, kind: str) -> str:
    try:
        if kind == "pdf":
            text = _pdf(content)
        elif kind == "docx":
            text = _docx(content)
        elif kind in ("txt", "csv"):
            best = from_bytes(content).best()
            text = str(best) if best is not None else ""
        else:
            text = ""
    except Exception:  # noqa: BLE001 - any parser failure just means "no text"
        logger.warning("could not extract text from a %s attachment", kind, exc_info=True)
        text = ""
    return text[:MAX_CHARS]


def _pdf(content: bytes) -> str:
    import pdfplumber

    parts: list[str] = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_CHARS:
                break
    return "\n".join(parts)


def _docx(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)
