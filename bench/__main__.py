"""Run every benchmark side by side with its baseline, in one process run.

Each module in BENCHMARKS has ``run(out)`` that prints its figures and
baselines; the machines are shared and noisy, so every figure is measured next
to its baseline in the same run.  ``python -m bench NAME`` runs only NAME.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["annual", "privacy", "applications", "search", "reports"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                print(f"== {name}: no benchmark module yet")
                continue
            raise
        print(f"== {name}")
        module.run(sys.stdout)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
