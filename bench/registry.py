"""Every benchmark `make bench` runs, in order. A benchmark added by any issue registers here
(one module name); `make bench` and `make bench-small` both run the whole list."""

BENCHMARKS: list[str] = [
    "bench.bench_import",
    "bench.bench_domain_lists",
]
