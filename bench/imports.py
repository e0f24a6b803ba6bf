"""Memory and time of the bulk import's trial run on a 20 MB upload (issue #9).

A generated XLSX of about 20 MB (5,000 rows, each with a long 正文 of
hard-to-compress Chinese text) is trial-imported the way the upload view does
it: ``imports.import_check`` on the stored file (archive check, streaming
scan, openpyxl read_only, every row checked, the result stored on the job).

Each figure runs in a fresh Python process so that its peak resident memory
(``ru_maxrss``) is its own; the figure is the peak minus the resident memory
just before the work (Django set up, database migrated).  Beside it, in the
same run, the baseline: the same file's rows read into lists with openpyxl
read_only and nothing else.  Target: the trial run raises the process's
memory by at most 100 MB.  The issue's bomb (656 KB -> 192 MB) is timed too.

Shared strings (review of issue #9, F3), each trial-run in its own process too:

- 18 MB, 5,000 rows whose 正文 is ~12,500 characters stored as shared strings
  (openpyxl holds them all): ASCII, and with one emoji per string (Python then
  stores the string at 4 bytes per character).  Refused by the total-text
  bound before openpyxl; +102 MB / +279 MB before the bound.
- The same with non-BMP text just under the bound (MAX_TOTAL_CHARS): read, the
  worst case that is accepted.
- 3.15 million short shared strings in a part named ``xl/strings.bin``: the
  scan once skipped it (+509 MB, 36 s); now scanned and refused.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from xml.sax.saxutils import escape

ROWS = 5000
TARGET_BYTES = 20 * 1024 * 1024
LIMIT_MB = 100
SHEET = "xl/worksheets/sheet1.xml"


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _sheet_xml(rng: random.Random, chars_per_body: int):
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    yield head.encode()

    def cell(ref, text):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    yield (
        '<row r="1">' + cell("A1", "标题") + cell("B1", "形成日期") + cell("C1", "正文") + "</row>"
    ).encode()
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    for n in range(2, ROWS + 2):
        body = "".join(rng.choices(alphabet, k=chars_per_body))
        yield (
            f'<row r="{n}">'
            + cell(f"A{n}", f"关于第{n}号事项的公示")
            + cell(f"B{n}", "2024-03-01")
            + cell(f"C{n}", body)
            + "</row>"
        ).encode()
    yield b"</sheetData></worksheet>"


def make_xlsx(path: str, chars_per_body: int) -> None:
    import openpyxl

    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    rng = random.Random(2024)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info))
        with dst.open(SHEET, "w", force_zip64=True) as sheet:
            for chunk in _sheet_xml(rng, chars_per_body):
                sheet.write(chunk)


def make_shared_strings_xlsx(
    path: str, *, rows: int, chars: int, emoji: bool, part: str = "xl/sharedStrings.xml"
) -> None:
    """Rows of 标题/形成日期/正文 whose text cells are shared strings in ``part``."""
    import openpyxl

    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    rng = random.Random(1)
    vocab = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(400)
    ]

    def text(n: int, size: int) -> str:
        out, length = [f"{n:07d}"], 8
        while length < size:
            word = rng.choice(vocab)
            out.append(word)
            length += len(word) + 1
        return ("\U0001f600" if emoji else "") + " ".join(out)

    target = part.removeprefix("xl/")
    content_type = (
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    relationship = (
        '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/sharedStrings" Target="{target}"/></Relationships>'
    )
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", content_type.encode())
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relationship.encode())
            elif info.filename == SHEET:
                continue
            dst.writestr(info, data)
        with dst.open(part, "w", force_zip64=True) as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for label in ("标题", "形成日期", "正文", "2024-03-01"):
                strings.write(f"<si><t>{label}</t></si>".encode())
            for n in range(rows):
                strings.write(f"<si><t>{escape(text(n, 40))}</t></si>".encode())
                strings.write(f"<si><t>{escape(text(n, chars))}</t></si>".encode())
            strings.write(b"</sst>")
        with dst.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )

            def row(r: int, indexes) -> bytes:
                cells = "".join(
                    f'<c r="{col}{r}" t="s"><v>{i}</v></c>'
                    for col, i in zip("ABC", indexes, strict=True)
                )
                return f'<row r="{r}">{cells}</row>'.encode()

            sheet.write(row(1, (0, 1, 2)))
            for n in range(rows):
                sheet.write(row(n + 2, (4 + 2 * n, 3, 5 + 2 * n)))
            sheet.write(b"</sheetData></worksheet>")


def make_renamed_strings_xlsx(path: str, count: int) -> None:
    """``count`` four-letter shared strings in a part named ``xl/strings.bin``."""
    import itertools

    import openpyxl

    base = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["标题", "形成日期"])
    wb.save(base)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/strings.bin" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="strings.bin"/>'
                    b"</Relationships>",
                )
            dst.writestr(info, data)
        with dst.open("xl/strings.bin", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            chunk = []
            for n, letters in enumerate(itertools.product(alphabet, repeat=4)):
                if n >= count:
                    break
                chunk.append("<si><t>" + "".join(letters) + "</t></si>")
                if len(chunk) == 10000:
                    f.write("".join(chunk).encode())
                    chunk = []
            f.write("".join(chunk).encode())
            f.write(b"</sst>")


def _child(mode: str, path: str, data_dir: str) -> dict:
    """Runs in a fresh process: set up, then measure ``mode`` on ``path``."""
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    import openpyxl
    from django.utils import timezone

    from gongkai.disclosure import imports
    from gongkai.disclosure.models import ImportJob
    from gongkai.organizations.factories import OrganizationFactory, user_with_role
    from gongkai.organizations.models import Role

    org = OrganizationFactory(slug=f"bench-{os.getpid()}", name=f"基准镇{os.getpid()}")
    user = user_with_role(org, Role.OFFICE_HEAD, username=f"bench-{os.getpid()}")
    job = ImportJob.objects.create(
        organization=org, kind="items", path=path, original_name="bench.xlsx", created_by=user
    )
    before = _rss_kb()
    t0 = time.perf_counter()
    if mode == "baseline":
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        count = len(rows) - 1
    else:
        with open(path, "rb") as handle:
            imports.import_check(job=job, content=handle, acting_user=user, now=timezone.now())
        job.refresh_from_db()
        errors = job.report["file_errors"]
        if mode == "trial":
            assert not errors, errors
        elif mode == "refused":
            assert errors, "expected the file to be refused"
        count = job.row_count
    seconds = time.perf_counter() - t0
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": count,
        "seconds": seconds,
        "delta_mb": (peak - before) / 1024,
        "refused": job.report["file_errors"][:1] if mode != "baseline" else [],
    }


def _measure(mode: str, path: str, data_dir: str) -> dict:
    code = (
        "import json,sys; from bench.imports import _child; "
        f"print(json.dumps(_child({mode!r}, {path!r}, {data_dir!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=600
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bomb_seconds(data_dir: str) -> float:
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from gongkai.disclosure import imports

    row = ('<row r="2">' + '<c r="A2" t="inlineStr"><is><t>x</t></is></c>' * 40 + "</row>").encode()
    base = io.BytesIO()
    import openpyxl

    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info))
        with dst.open(SHEET, "w", force_zip64=True) as sheet:
            block = row * (1024 * 1024 // len(row) + 1)
            for _ in range(192):
                sheet.write(block)
    content = out.getvalue()
    t0 = time.perf_counter()
    try:
        imports.read_table(content, "xlsx")
    except imports.TooBig:
        pass
    return time.perf_counter() - t0, len(content)


def run(out) -> None:
    quick = os.environ.get("GONGKAI_BENCH_QUICK") == "1"
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = os.path.join(tmp, "data")
        os.makedirs(data_dir)
        env = dict(
            os.environ, GONGKAI_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="gongkai.config.settings"
        )
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
        path = os.path.join(tmp, "bench.xlsx")
        chars = 400 if quick else 2200
        make_xlsx(path, chars)
        size = os.path.getsize(path)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        out.write(
            f"{size / 2**20:.1f} MB xlsx ({unpacked / 2**20:.0f} MB unpacked), "
            f"{ROWS:,} rows of ~{chars:,} characters\n"
        )
        os.environ["GONGKAI_DATA_DIR"] = data_dir
        base = _measure("baseline", path, data_dir)
        ours = _measure("trial", path, data_dir)
        for name, r in (
            ("baseline: openpyxl read_only rows", base),
            ("import_check (trial run, stored)", ours),
        ):
            out.write(f"  {name:<36} {r['seconds']:7.2f} s  +{r['delta_mb']:6.1f} MB peak RSS\n")
        verdict = "OK" if ours["delta_mb"] <= LIMIT_MB else "OVER"
        out.write(f"  target: trial run <= +{LIMIT_MB} MB: {verdict}\n")
        seconds, bomb_size = _bomb_seconds(data_dir)
        out.write(
            f"  bomb ({bomb_size / 1024:.0f} KB -> 192 MB) refused in {seconds * 1000:.1f} ms\n"
        )
        _shared_strings(out, tmp, data_dir, quick)


def _shared_strings(out, tmp: str, data_dir: str, quick: bool) -> None:
    """Review of issue #9, F3: shared strings, measured beside the figures above."""
    from gongkai.disclosure import imports

    rows = 500 if quick else ROWS
    under = imports.MAX_TOTAL_CHARS // rows - 100  # characters per 正文, just under the bound
    cases = [
        ("shared strings, ASCII, ~12,500 chars/row", dict(chars=12_500, emoji=False), "refused"),
        ("shared strings, emoji, ~12,500 chars/row", dict(chars=12_500, emoji=True), "refused"),
        (f"shared strings, emoji, {under:,} chars/row", dict(chars=under, emoji=True), "trial"),
    ]
    if quick:
        cases = [(n, dict(k, chars=k["chars"] // 10), m) for n, k, m in cases[:2]] + cases[2:]
    for name, kwargs, mode in cases:
        path = os.path.join(tmp, "strings.xlsx")
        make_shared_strings_xlsx(path, rows=rows, **kwargs)
        r = _measure(mode, path, data_dir)
        size = os.path.getsize(path) / 2**20
        verdict = "OK" if r["delta_mb"] <= LIMIT_MB else "OVER"
        what = "refused" if r["refused"] else f"{r['rows']:,} rows read"
        out.write(
            f"  {name:<44} {size:5.1f} MB {r['seconds']:7.2f} s  +{r['delta_mb']:6.1f} MB"
            f" peak RSS ({what}) {verdict}\n"
        )
    path = os.path.join(tmp, "renamed.xlsx")
    count = 315_000 if quick else 3_150_000
    make_renamed_strings_xlsx(path, count)
    r = _measure("refused", path, data_dir)
    verdict = "OK" if r["delta_mb"] <= LIMIT_MB else "OVER"
    out.write(
        f"  {'xl/strings.bin, ' + format(count, ',') + ' shared strings':<44} "
        f"{os.path.getsize(path) / 2**20:5.1f} MB {r['seconds']:7.2f} s  "
        f"+{r['delta_mb']:6.1f} MB peak RSS (refused) {verdict}\n"
    )


if __name__ == "__main__":
    run(sys.stdout)
