"""What every benchmark shares: interleaved timing, the result of one comparison, its target.

A benchmark module (`bench/bench_<name>.py`, listed in `bench/registry.py`) defines

    def run(ctx: Context) -> list[Result]: ...

    if __name__ == "__main__":
        cli(run)

and measures each comparison with `compare()`: both sides run interleaved in the same process
(ours, baseline, ours, baseline, …), so load on the machine hits both alike; the result carries
p50 and p95 of each side, their ratio and the target, and `make bench` exits non-zero when a
target is missed. Nothing here is a timed test: ratios are judged, and only by `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Target:
    """What a measure must reach. `kind`: "max_ratio" (ours/baseline at most), "min_ratio"
    (baseline/ours at least: a speed-up), "max_ms" (ours' p50 at most, milliseconds), or
    "min_share" (baseline/ours at least, as a share: e.g. 0.6 means ours reaches 60% of the
    limit's throughput)."""

    kind: str
    value: float

    def holds(self, result: Result) -> bool:
        if self.kind == "max_ratio":
            return result.ratio <= self.value
        if self.kind == "min_ratio":
            return result.speedup >= self.value
        if self.kind == "max_ms":
            return result.ours_p50_ms <= self.value
        if self.kind == "min_share":
            return result.speedup >= self.value
        raise ValueError(self.kind)

    def describe(self) -> str:
        return {
            "max_ratio": f"≤ {self.value:g}×",
            "min_ratio": f"≥ {self.value:g}× faster",
            "max_ms": f"≤ {self.value:g} ms",
            "min_share": f"≥ {self.value:.0%} of the limit",
        }[self.kind]


def at_most(ratio: float) -> Target:
    return Target("max_ratio", ratio)


def faster_by(ratio: float) -> Target:
    return Target("min_ratio", ratio)


def within_ms(ms: float) -> Target:
    return Target("max_ms", ms)


def share_of_limit(share: float) -> Target:
    return Target("min_share", share)


@dataclass
class Result:
    name: str
    ours: str
    baseline: str
    ours_p50_ms: float
    ours_p95_ms: float
    baseline_p50_ms: float
    baseline_p95_ms: float
    target: Target | None
    runs: int
    note: str = ""
    passed: bool = field(init=False, default=True)

    def __post_init__(self):
        self.passed = self.target.holds(self) if self.target else True

    @property
    def ratio(self) -> float:
        return self.ours_p50_ms / self.baseline_p50_ms if self.baseline_p50_ms else float("inf")

    @property
    def speedup(self) -> float:
        return self.baseline_p50_ms / self.ours_p50_ms if self.ours_p50_ms else float("inf")

    @property
    def shown(self) -> str:
        """The figure the target is about: "84.00× faster", "56%" or "1.62×"."""
        kind = self.target.kind if self.target else ""
        if kind == "min_ratio":
            return f"{self.speedup:.2f}× faster"
        return f"{self.speedup:.0%}" if kind == "min_share" else f"{self.ratio:.2f}×"

    def line(self) -> str:
        verdict = "ok  " if self.passed else "MISS"
        target = self.target.describe() if self.target else "(no target)"
        shown = self.shown
        text = (
            f"{verdict} {self.name}: {self.ours} p50 {self.ours_p50_ms:.2f} ms p95 {self.ours_p95_ms:.2f} ms"
            f" | {self.baseline} p50 {self.baseline_p50_ms:.2f} ms p95 {self.baseline_p95_ms:.2f} ms"
            f" | {shown}, target {target} ({self.runs} runs)"
        )
        return text + (f"\n       {self.note}" if self.note else "")

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            ratio=self.ratio,
            speedup=self.speedup,
            shown=self.shown,
            target=self.target and self.target.describe(),
        )
        return data


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(share * 100) - 1]


def interleaved(ours: Callable[[], object], baseline: Callable[[], object], runs: int, warmup: int = 2):
    """Seconds per call of each side, alternating which goes first, after a warm-up of both."""
    for _ in range(warmup):
        ours()
        baseline()
    ours_times: list[float] = []
    baseline_times: list[float] = []
    for index in range(runs):
        pair = ((ours, ours_times), (baseline, baseline_times))
        for function, samples in pair if index % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            function()
            samples.append(time.perf_counter() - started)
    return ours_times, baseline_times


def result_of(name, ours_label, baseline_label, ours_times, baseline_times, target=None, note="") -> Result:
    """A Result from two lists of seconds (for measures timed some other way, e.g. a whole run)."""
    return Result(
        name=name,
        ours=ours_label,
        baseline=baseline_label,
        ours_p50_ms=1000 * percentile(ours_times, 0.5),
        ours_p95_ms=1000 * percentile(ours_times, 0.95),
        baseline_p50_ms=1000 * percentile(baseline_times, 0.5),
        baseline_p95_ms=1000 * percentile(baseline_times, 0.95),
        target=target,
        runs=len(ours_times),
        note=note,
    )


def compare(
    name: str,
    ours: tuple[str, Callable[[], object]],
    baseline: tuple[str, Callable[[], object]],
    *,
    target: Target | None = None,
    runs: int = 30,
    warmup: int = 2,
    note: str = "",
) -> Result:
    """Time both sides interleaved and judge the target; prints the result line at once."""
    ours_times, baseline_times = interleaved(ours[1], baseline[1], runs, warmup)
    result = result_of(name, ours[0], baseline[0], ours_times, baseline_times, target, note)
    print(result.line(), flush=True)
    return result


@dataclass
class Context:
    residents: int
    runs: int
    quick: bool
    extra: dict = field(default_factory=dict)


def cli(run: Callable[[Context], list[Result]]) -> None:
    """Entry point of a benchmark module: `python -m bench.bench_x [--residents N] [--json F]`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=int(os.environ.get("BENCH_RESIDENTS", "100000")))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="fewer runs, to check a benchmark works")
    parser.add_argument("--json", help="write the results here")
    options = parser.parse_args()
    context = Context(
        residents=options.residents, runs=5 if options.quick else options.runs, quick=options.quick
    )
    results = run(context)
    if options.json:
        with open(options.json, "w", encoding="utf-8") as handle:
            json.dump([r.as_dict() for r in results], handle, ensure_ascii=False, indent=1)
    sys.exit(0 if all(r.passed for r in results) else 1)
