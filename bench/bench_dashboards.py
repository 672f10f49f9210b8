"""The dashboards at a city's size: summary tables against a GROUP BY over the base tables.

    BENCH_DATABASE_URL=postgres://… python -m bench.run --residents 1000000 --only bench.bench_dashboards

- the dashboard API's read (core.dashboards.selectors.dashboard: the node's indicators, the
  change against the previous period, every child's, suppression) for the district and for the
  city, against computing the same figures per request with a GROUP BY over the base tables
  (each summarised metric's per_node query under the node, rolled up to the node and its
  children): at least 200× faster;
- a full rebuild of every summarised metric (rolled back) against one GROUP BY pass over the city
  (the baseline above at the city): at most 1.5×;
- one community's incremental refresh (rolled back) against that pass: at most 1/50.

Needs the demo's data (`seed_demo --residents N`); the summaries are rebuilt once first if empty.
"""

from __future__ import annotations

from bench._django import rolled_back, setup
from bench.harness import Context, Result, at_most, cli, compare, faster_by


def _group_by_view(region) -> dict:
    """The per-request way: every metric's node-own values under the node, straight from the base
    tables, summed into the node and each child (what the summary tables spare a request)."""
    from core.dashboards import metrics as declared_metrics
    from core.dashboards.cells import Cell, cell_of, shown
    from core.regions.paths import ancestor_ids

    depth = len(ancestor_ids(region.path))
    found: dict = {}
    for metric in declared_metrics.summarised():
        node, children = Cell(), {}
        for path, part, value in declared_metrics.per_node(metric)(region.path):
            if part:
                continue
            cell = cell_of(metric, value)
            node = node + cell
            ids = ancestor_ids(path)
            if len(ids) > depth:
                children[ids[depth]] = children.get(ids[depth], Cell()) + cell
        found[metric.key] = (shown(metric, node), {k: shown(metric, c) for k, c in children.items()})
    return found


def run(ctx: Context) -> list[Result]:
    # The summary rows are updated in place by every refresh and rolled-back rebuild; a site's
    # autovacuum clears what they leave behind (this benchmark server runs without it).
    setup(tables=("dashboards_indicator", "dashboards_indicatorsnapshot"))
    from core.accounts.models import User
    from core.dashboards import metrics as declared_metrics
    from core.dashboards import selectors, summaries
    from core.dashboards.models import Indicator
    from core.regions.models import Region

    if not Indicator.objects.exists():
        summaries.rebuild()
    district = User.objects.get(username="district").region
    city = Region.objects.get(pk=district.parent_id)
    community = Region.objects.filter(path__startswith=district.path, level=Region.Level.COMMUNITY).order_by(
        "id"
    )[0]
    results = []
    for label, node, runs in (("district", district, ctx.runs), ("city", city, max(5, ctx.runs // 3))):
        results.append(
            compare(
                f"dashboard of the {label}: summary tables vs GROUP BY per request",
                ("summary tables", lambda node=node: selectors.dashboard(node, suppress=True)),
                ("GROUP BY", lambda node=node: _group_by_view(node)),
                target=faster_by(200),
                runs=runs,
            )
        )

    def rebuild():
        with rolled_back():
            summaries.rebuild(declared_metrics.summarised())

    def refresh():
        with rolled_back():
            summaries.refresh_node(community.pk)

    few = max(3, ctx.runs // 6)
    results.append(
        compare(
            "full rebuild vs one GROUP BY pass over the city",
            ("rebuild", rebuild),
            ("GROUP BY pass", lambda: _group_by_view(city)),
            target=at_most(1.5),
            runs=few,
            warmup=1,
        )
    )
    results.append(
        compare(
            f"one community's incremental refresh ({community.name}) vs one GROUP BY pass",
            ("refresh", refresh),
            ("GROUP BY pass", lambda: _group_by_view(city)),
            target=at_most(1 / 50),
            runs=few,
            warmup=1,
        )
    )
    return results


if __name__ == "__main__":
    cli(run)
