"""Render the figures of the last `make bench` (var/bench/<residents>.json) as the Markdown table
docs/BENCHMARKS.md carries.

    python -m bench.report --residents 1000000
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def table(data: dict) -> str:
    lines = [
        f"{data['residents']:,} residents; {data.get('machine', '')}",
        "",
        "| benchmark | measure | ours p50 / p95 ms | baseline p50 / p95 ms | ratio | target | |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for r in data["results"]:
        kind = r["target"] or ""
        # Untargeted rows are printed for the record; one much quicker than its baseline reads
        # better as "N× faster" than as 0.01×.
        faster = "faster" in kind or (not kind and r["ratio"] < 0.5)
        shown = f"{r['speedup']:.1f}× faster" if faster else f"{r['ratio']:.2f}×"
        shown = f"{r['speedup']:.0%}" if "limit" in kind else shown
        verdict = ("met" if r["passed"] else "**missed**") if kind else ""
        lines.append(
            f"| {r['module'].removeprefix('bench.')} | {r['name']} ({r['ours']} vs {r['baseline']})"
            f" | {r['ours_p50_ms']:.2f} / {r['ours_p95_ms']:.2f}"
            f" | {r['baseline_p50_ms']:.2f} / {r['baseline_p95_ms']:.2f}"
            f" | {shown} | {kind} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    options = parser.parse_args()
    print(table(json.loads((ROOT / "var" / "bench" / f"{options.residents}.json").read_text())))


if __name__ == "__main__":
    main()
