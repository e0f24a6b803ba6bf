"""``python -m gongkai.privacy [--mask] [--kinds K1,K2] [--allow TEXT]... FILE...`` — scan files
before publication.

Text files are scanned as text; ``.csv`` files as tables (row and column in the
report).  Files are read as UTF-8 (with or without BOM), else GB 18030 — the
encoding of spreadsheets saved on Chinese Windows.  Findings are printed with
the matched text already masked, so the report itself can be shared.  With
``--mask`` the masked text (or CSV) is printed instead of the report; a masked
CSV cell that a spreadsheet would take for a formula starts with an apostrophe.

Exit code: 0 nothing found, 1 findings, 2 bad input (like grep).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TextIO

from gongkai.privacy.scanner import (
    ALL_KINDS,
    PERSONAL_KINDS,
    mask,
    mask_hit,
    mask_table,
    scan,
    scan_table,
)
from gongkai.spreadsheets import csv_row

USAGE = (
    "用法：python -m gongkai.privacy [--mask] [--kinds id_card,mobile,...] "
    "[--allow 本机关电话或地址]... 文件..."
)


def _read(path: str, stdin: TextIO | None) -> str:
    if path == "-":
        return (stdin or sys.stdin).read()
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}：无法识别文件编码（应为 UTF-8 或 GB18030）")


def run(argv: list[str], stdout: TextIO, stderr: TextIO, stdin: TextIO | None = None) -> int:
    do_mask = False
    kinds: list[str] | None = None
    paths: list[str] = []
    allow: list[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--mask":
            do_mask = True
        elif arg == "--kinds":
            if not args:
                stderr.write(f"--kinds 后应跟类型，可选：{'、'.join(sorted(ALL_KINDS))}\n")
                return 2
            kinds = [k.strip() for k in args.pop(0).split(",") if k.strip()]
        elif arg == "--allow":
            if not args:
                stderr.write("--allow 后应跟本机关公开的电话、传真或地址\n")
                return 2
            allow.append(args.pop(0))
        elif arg in ("-h", "--help"):
            stdout.write(USAGE + "\n")
            return 0
        elif arg.startswith("--"):
            stderr.write(f"未知的选项：{arg}\n{USAGE}\n")
            return 2
        else:
            paths.append(arg)
    if not paths:
        stderr.write(USAGE + "\n")
        return 2
    found = 0
    for path in paths:
        try:
            text = _read(path, stdin)
            if path.lower().endswith(".csv"):
                rows = list(csv.reader(io.StringIO(text)))
                if do_mask:
                    # Formula-like cells get an apostrophe (CSV injection, OWASP).
                    masked = mask_table(rows, kinds, allow=allow)
                    csv.writer(stdout, lineterminator="\n").writerows(map(csv_row, masked))
                    continue
                hits = scan_table(rows, kinds=kinds, allow=allow)
            else:
                if do_mask:
                    stdout.write(mask(text, kinds, allow=allow))
                    continue
                hits = scan(text, kinds=kinds, allow=allow)
        except FileNotFoundError:
            stderr.write(f"{path}：文件不存在\n")
            return 2
        except (OSError, ValueError, csv.Error) as exc:
            stderr.write(f"{path}：{exc}\n")
            return 2
        for hit in hits:
            where = (
                f"第{hit.row + 1}行第{hit.column + 1}列"
                if hit.row is not None and hit.column is not None
                else f"第{hit.line}行"
            )
            # personal data masked in the report; markings shown as they are
            shown = mask_hit(hit) if hit.kind in PERSONAL_KINDS else hit.text
            stdout.write(f"{path}：{where}\t{hit.label}\t{hit.severity}\t{shown}\n")
        found += len(hits)
    if not do_mask:
        stdout.write(f"共发现{found}处需复核的内容\n")
    return 1 if found else 0


def main() -> None:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))


if __name__ == "__main__":
    main()
