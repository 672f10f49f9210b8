"""Every benchmark `make bench` runs, in order. A benchmark added by any issue registers here
(one module name); `make bench` and `make bench-small` both run the whole list."""

BENCHMARKS: list[str] = [
    "bench.bench_import",
    "bench.bench_http",
    "bench.bench_free_text",
    "bench.bench_lists",
    "bench.bench_search",
    "bench.bench_domain_lists",
    "bench.bench_low_income",
    "bench.bench_safety_ingest",
]
BENCHMARKS.append("bench.bench_dashboards")
# Last: the longest (5,000 websocket clients connected, dropped and reconnected: about 20 minutes).
BENCHMARKS.append("bench.bench_notices")
