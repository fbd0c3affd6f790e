"""Run the benchmarks: `python -m bench [NAME ...]`.

Each benchmark is a module `bench/<name>.py` listed in BENCHMARKS, exposing
`run() -> dict` that returns its figures (plain JSON values), including any
baseline it measured in the same run and the ratio to it. Benchmarks are not
tests: nothing here asserts on time.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

BENCHMARKS: list[str] = [
    "lesson_page",
    "pptx_import",
    "item_analysis",
    "quiz_submissions",
    "search",
    "view_logging",
    "stack_load",
]

RESULTS = Path(__file__).resolve().parent / "results.json"


def _print_figures(name: str, figures: dict, indent: str = "  ") -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print_figures(name, value, indent + "  ")
        elif isinstance(value, float):
            print(f"{indent}{key:<40} {value:,.3f}")
        elif isinstance(value, list) and all(
            isinstance(item, dict) and "requests_per_second" in item for item in value
        ):
            # Rounds of a measurement: their rates here, everything in the JSON.
            rates = " / ".join(f"{item['requests_per_second']:,.1f}" for item in value)
            print(f"{indent}{key:<40} {rates} requests/s")
        else:
            print(f"{indent}{key:<40} {value}")


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; known: {BENCHMARKS}")
        return 2
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "benchmarks": {},
    }
    for name in names:
        print(f"== {name} ==", flush=True)
        figures = importlib.import_module(f"bench.{name}").run()
        results["benchmarks"][name] = figures
        _print_figures(name, figures)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"Wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
