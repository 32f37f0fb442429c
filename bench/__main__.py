"""`python -m bench [name ...]`: run the benchmarks side by side and print Markdown.

Each bench module exposes `run() -> str`. Results go to stdout and bench/RESULTS.md, from which
the README's tables are copied (machines here are noisy: compare ratios, quote medians).
"""

from __future__ import annotations

import importlib
import platform
import sys
import time
from pathlib import Path

BENCHES = (
    "matching",
    "scale",
    "emergency",
    "rules_alone",
    "rules_replay",
    "safety_speed",
    "safety_by_writer",
    "storage",
    "processing",
    "pacing",
)


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown bench {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
        return 2
    header = (
        f"# Benchmarks\n\nRun {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{platform.machine()}, Python {platform.python_version()}.\n"
    )
    sections = [header]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        section = module.run()
        took = time.perf_counter() - started
        sections.append(f"{section.rstrip()}\n\n_({name}: {took:.0f} s)_\n")
        print(sections[-1], flush=True)
    if not argv:
        Path(__file__).with_name("RESULTS.md").write_text("\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
