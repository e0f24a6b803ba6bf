"""OCR of scanned reports: image-only PDFs and page images (JPG, PNG, TIFF).

``reader.read_scan`` is reached through ``gongkai.annual.readers.read_bytes``
with ``ocr="auto"`` or ``"always"``; see docs/annual-ocr.md.
"""
