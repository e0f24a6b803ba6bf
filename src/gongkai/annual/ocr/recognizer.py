"""The OCR engine: RapidOCR (PP-OCRv4 models in ONNX, shipped inside the wheel).

Nothing is downloaded at run time: ``rapidocr_onnxruntime`` carries its three
models (detector, angle classifier, recogniser) in the package and onnxruntime
runs them on the CPU.  One engine per process, created on first use; the
number of CPU threads it may use is ``GONGKAI_OCR_THREADS`` (default: what
onnxruntime chooses; ``gongkai check -j N`` sets 1 per worker).
"""

from __future__ import annotations

import os
import threading

import numpy as np

from gongkai.annual.ocr.page import TextBox
from gongkai.annual.readers.errors import ReadError

_LOCK = threading.Lock()
REC_MIN_WIDTH = 160
# The detector sees the page at most this many pixels high: plenty for 三号 body
# text and headings; the text is then read from the full-resolution page.
DET_MAX_SIDE = 1280
_ENGINE: Recognizer | None = None


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class Recognizer:
    def __init__(self, threads: int | None = None):
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # the package is a dependency; a broken install says so
            raise ReadError(
                "本安装缺少文字识别组件（rapidocr-onnxruntime），无法读取扫描件"
            ) from exc
        kwargs = {}
        if threads:
            kwargs = {"intra_op_num_threads": threads, "inter_op_num_threads": 1}
        self._engine = RapidOCR(**kwargs)
        rec = self._engine.text_rec
        # The recogniser pads every crop of a batch to at least 320 px wide (the
        # width of a long text line); table cells are mostly a few digits, so
        # pad to what the batch needs, and batch more of them per model call.
        rec.rec_image_shape = [3, 48, REC_MIN_WIDTH]
        rec.rec_batch_num = 16

    def recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence of each crop (a single line of text each)."""
        import cv2

        images = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) if c.ndim == 2 else c for c in crops]
        out: list[tuple[str, float]] = []
        for start in range(0, len(images), 64):
            result, _ = self._engine.text_rec(images[start : start + 64])
            out.extend((str(r[0]), float(r[1])) for r in result)
        return out

    def detect_and_recognise(self, gray: np.ndarray) -> list[TextBox]:
        """Text boxes of a page: detected on a reduced copy, read at full resolution."""
        import cv2

        h, w = gray.shape
        scale = min(1.0, DET_MAX_SIDE / max(h, w))
        small = (
            gray
            if scale == 1.0
            else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        )
        boxes, _ = self._engine.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
        if boxes is None or len(boxes) == 0:
            return []
        rects = []
        for points in boxes:
            xs = [p[0] / scale for p in points]
            ys = [p[1] / scale for p in points]
            x0, y0 = max(0, int(min(xs)) - 2), max(0, int(min(ys)) - 2)
            x1, y1 = min(w, int(max(xs)) + 3), min(h, int(max(ys)) + 3)
            if x1 - x0 >= 4 and y1 - y0 >= 4:
                rects.append((x0, y0, x1, y1))
        crops = [gray[y0:y1, x0:x1] for x0, y0, x1, y1 in rects]
        results = self.recognise(crops)
        return [
            TextBox(text, score, x0, y0, x1, y1)
            for (x0, y0, x1, y1), (text, score) in zip(rects, results, strict=True)
            if text.strip()
        ]


def recognizer() -> Recognizer:
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            threads = os.environ.get("GONGKAI_OCR_THREADS")
            _ENGINE = Recognizer(int(threads) if threads and threads.isdigit() else None)
        return _ENGINE
