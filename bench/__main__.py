"""Run every benchmark side by side with its baseline, in one process run.

Each module in BENCHMARKS has ``run(out)`` that prints its figures and
baselines; the machines are shared and noisy, so every figure is measured next
to its baseline in the same run.

    python -m bench                 # all of them
    python -m bench search reports  # only these
    python -m bench --quick         # smaller inputs where a module supports it
                                    # (sets GONGKAI_BENCH_QUICK=1)
"""

from __future__ import annotations

import importlib
import os
import sys

BENCHMARKS = ["annual", "privacy", "applications", "search", "reports", "imports"]


def main(argv: list[str]) -> int:
    flags = [a for a in argv if a.startswith("--")]
    names = [a for a in argv if not a.startswith("--")] or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    if "--quick" in flags:
        os.environ["GONGKAI_BENCH_QUICK"] = "1"
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        module.run(sys.stdout)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
