"""Run every benchmark side by side with its baseline, in one process run.

Each module in BENCHMARKS has ``run(out)`` that prints its figures and
baselines; the machines are shared and noisy, so every figure is measured next
to its baseline in the same run.

    python -m bench                 # all of them
    python -m bench search reports  # only these
    python -m bench --quick         # smaller inputs where a module supports it
                                    # (sets GONGKAI_BENCH_QUICK=1)

Each benchmark runs in its own process with its own scratch data folder
(GONGKAI_DATA_DIR), removed when it ends; the exit status is non-zero if any
failed.  The PostgreSQL search datasets are the exception: they are kept in
their own databases (gongkai_bench_<n>k) so later runs reuse them.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile

BENCHMARKS = ["annual", "privacy", "applications", "search", "reports", "imports", "batch", "pages"]


def main(argv: list[str]) -> int:
    flags = [a for a in argv if a.startswith("--")]
    names = [a for a in argv if not a.startswith("--")] or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    if "--quick" in flags:
        os.environ["GONGKAI_BENCH_QUICK"] = "1"
    if "--one" in flags:
        # A child: one benchmark, in the scratch data folder its parent made.
        importlib.import_module(f"bench.{names[0]}").run(sys.stdout)
        return 0
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        # Each benchmark in its own process (fresh Django settings) and its own
        # scratch data folder, removed afterwards whatever happens.
        scratch = tempfile.mkdtemp(prefix=f"gongkai-bench-{name}-")
        env = dict(os.environ, GONGKAI_DATA_DIR=scratch)
        env.pop("DATABASE_URL", None)
        try:
            code = subprocess.call(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench", "--one", name], env=env
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if code:
            failed.append(name)
            print(f"!! {name} failed (exit {code})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
