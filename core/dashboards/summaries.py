"""Keeping the summary tables: a refresh of one node's subtree (incremental), a rebuild of the
whole tree (the `rebuild_dashboards` command, and the periodic sweep of metrics that change with
time alone), and the daily snapshot.

A refresh reads each metric's node-own values under the node (one GROUP BY per metric, limited
to the node's subtree), rolls them up to the node, and adds the node's difference to each
ancestor: every aggregation is additive in what is stored (core.dashboards.cells), so nothing
under the ancestors' other children is read. Refreshes and rebuilds run one at a time
(`_one_at_a_time`), so two of them never add the same difference twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.dashboards import metrics as declared_metrics
from core.dashboards.cells import Cell, amount, cell_of
from core.dashboards.models import Indicator, IndicatorSnapshot
from core.regions.models import Region
from core.regions.paths import ancestor_ids, parent

# One cell key: (metric key, part).
Key = tuple[str, str]
# An arbitrary constant: the PostgreSQL advisory lock that serialises summary writes.
_LOCK_ID = 0x5DA5B0A2D


@dataclass
class Outcome:
    """What a refresh changed: (region id, metric key) pairs whose subtree value moved."""

    changed: set[tuple[int, str]] = field(default_factory=set)
    as_of: object = None


def _one_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def _own_values(metrics, under: str, paths: dict[str, int]) -> dict[str, dict[Key, Cell]]:
    """Each node's own cells under `under` (nodes outside `paths` are ignored: a row whose path
    names no node of the tree)."""
    own: dict[str, dict[Key, Cell]] = defaultdict(dict)
    for metric in metrics:
        for path, part, value in declared_metrics.per_node(metric)(under):
            if path not in paths:
                continue
            cells = own[path]
            key = (metric.key, part or "")
            cells[key] = cells.get(key, Cell()) + cell_of(metric, value)
    return own


def _computed_values(metrics, regions: list[Region]) -> dict[str, dict[Key, Cell]]:
    """Metrics with `compute` only: each node computed on its own (its value is its subtree's)."""
    values: dict[str, dict[Key, Cell]] = defaultdict(dict)
    for metric in metrics:
        compute = declared_metrics.compute(metric)
        for region in regions:
            for part, number in _parts_of(compute(region)):
                values[region.path][(metric.key, part)] = Cell(amount(number))
    return values


def _parts_of(result) -> list[tuple[str, object]]:
    if isinstance(result, dict):
        parts = [(str(k), v) for k, v in result.items() if _is_number(v)]
        total = result.get("count", result.get("total"))
        return [("", total), *parts] if _is_number(total) else parts
    return [("", result)] if _is_number(result) else []


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return value is not None


def _roll_up(own: dict[str, dict[Key, Cell]], paths: list[str]) -> dict[str, dict[Key, Cell]]:
    """Each node's subtree cells: its own plus its children's totals, deepest nodes first."""
    totals = {path: dict(own.get(path, {})) for path in paths}
    for path in sorted(paths, key=lambda p: -p.count("/")):
        up = parent(path)
        if up is None or up not in totals:
            continue
        target = totals[up]
        for key, cell in totals[path].items():
            target[key] = target.get(key, Cell()) + cell
    return totals


def refresh_node(region_id: int) -> Outcome:
    """Recompute the summary of one node's subtree from the base tables and carry the difference
    to its ancestors."""
    node = Region.objects.filter(pk=region_id).only("id", "path").first()
    if node is None:
        return Outcome()
    return _recompute(declared_metrics.summarised(), node=node)


def rebuild(metrics=None) -> Outcome:
    """Recompute every node of the tree from the base tables (only `metrics`, if given): rows
    that drifted are corrected, rows of nothing are removed."""
    metrics = declared_metrics.declared() if metrics is None else metrics
    outcome = _recompute(declared_metrics.summarised(metrics), node=None)
    legacy = declared_metrics.computed(metrics)
    if legacy:
        outcome.changed |= _recompute(legacy, node=None, computed=True).changed
    return outcome


def _recompute(metrics, *, node: Region | None, computed: bool = False) -> Outcome:
    outcome = Outcome(as_of=timezone.now())
    if not metrics:
        return outcome
    keys = [m.key for m in metrics]
    with transaction.atomic():
        _one_at_a_time()
        regions = list(Region.objects.under(node.path) if node else Region.objects.all())
        paths = {r.path: r.pk for r in regions}
        if computed:
            totals = _computed_values(metrics, regions)
            own: dict[str, dict[Key, Cell]] = {}
        else:
            roots = [node.path] if node else [r.path for r in regions if r.parent_id is None]
            own = defaultdict(dict)
            for root in roots:
                own.update(_own_values(metrics, root, paths))
            totals = _roll_up(own, list(paths))
        rows = Indicator.objects.filter(metric__in=keys)
        rows = rows.filter(region_path__startswith=node.path) if node else rows
        existing = _stored(rows)
        wanted: dict[tuple[int, str, str], tuple[Cell, Cell, str]] = {}
        for path, region_id in paths.items():
            cells = set(own.get(path, {})) | set(totals.get(path, {}))
            for key in cells:
                wanted[(region_id, *key)] = (own.get(path, {}).get(key, Cell()), totals[path][key], path)
        node_before = _node_totals(existing, node.pk) if node else {}
        _apply(wanted, existing, outcome)
        # Rows this read left unchanged were confirmed by it: true as of now too (one UPDATE).
        rows.exclude(as_of=outcome.as_of).update(as_of=outcome.as_of)
        if node is not None:
            after = totals.get(node.path, {})
            difference = {
                k: after.get(k, Cell()) - node_before.get(k, Cell()) for k in set(after) | set(node_before)
            }
            _add_to_ancestors(node, {k: d for k, d in difference.items() if not d.is_zero()}, keys, outcome)
    return outcome


@dataclass(slots=True)
class _Stored:
    """A summary row as read for comparing (a model instance each cost a rebuild a second at a
    city's size); only the rows that changed become Indicator instances to write."""

    pk: int
    region_id: int
    metric: str
    part: str
    region_path: str
    own_value: Decimal
    own_denominator: Decimal
    own_histogram: list
    value: Decimal
    denominator: Decimal
    histogram: list
    as_of: object = None


_STORED = [f.name for f in fields(_Stored) if f.name != "as_of"]


def _stored(rows) -> dict[tuple[int, str, str], _Stored]:
    return {
        (row.region_id, row.metric, row.part): row
        for row in (_Stored(*values) for values in rows.values_list(*_STORED))
    }


def _model(row: _Stored) -> Indicator:
    return Indicator(**{name: getattr(row, name) for name in ("pk", *_FIELDS)})


def _node_totals(existing: dict, region_id: int) -> dict[Key, Cell]:
    return {(metric, part): _total(row) for (rid, metric, part), row in existing.items() if rid == region_id}


def _own(row: Indicator) -> Cell:
    return Cell(row.own_value, row.own_denominator, tuple(row.own_histogram))


def _total(row: Indicator) -> Cell:
    return Cell(row.value, row.denominator, tuple(row.histogram))


def _set(row: Indicator, own: Cell, total: Cell, as_of) -> None:
    row.own_value, row.own_denominator, row.own_histogram = own.value, own.denominator, list(own.histogram)
    row.value, row.denominator, row.histogram = total.value, total.denominator, list(total.histogram)
    row.as_of = as_of


_FIELDS = [
    "region_path",
    "own_value",
    "own_denominator",
    "own_histogram",
    "value",
    "denominator",
    "histogram",
    "as_of",
]


def _apply(wanted: dict, existing: dict, outcome: Outcome) -> None:
    """Write what differs from the stored rows; remove rows whose cells are all zero."""
    changed_rows, new_rows, gone = [], [], []
    for key, row in existing.items():
        if key not in wanted:
            gone.append(row.pk)
            outcome.changed.add((key[0], key[1]))
    for key, (own, total, path) in wanted.items():
        row = existing.get(key)
        if own.is_zero() and total.is_zero():
            if row is not None:
                gone.append(row.pk)
                outcome.changed.add((key[0], key[1]))
            continue
        if row is None:
            row = Indicator(region_id=key[0], region_path=path, metric=key[1], part=key[2])
            _set(row, own, total, outcome.as_of)
            new_rows.append(row)
            outcome.changed.add((key[0], key[1]))
        elif _own(row) != own or _total(row) != total or row.region_path != path:
            _set(row, own, total, outcome.as_of)
            row.region_path = path
            changed_rows.append(row)
            outcome.changed.add((key[0], key[1]))
    if gone:
        Indicator.objects.filter(pk__in=gone).delete()
    Indicator.objects.bulk_create(new_rows, batch_size=2000)
    Indicator.objects.bulk_update([_model(row) for row in changed_rows], _FIELDS, batch_size=2000)


def _add_to_ancestors(node: Region, difference: dict[Key, Cell], keys: list[str], outcome: Outcome) -> None:
    ids = [pk for pk in ancestor_ids(node.path) if pk != node.pk]
    if not ids:
        return
    rows = _stored(Indicator.objects.filter(region_id__in=ids, metric__in=keys))
    paths = dict(Region.objects.filter(pk__in=ids).values_list("pk", "path"))
    wanted = {}
    for region_id in ids:
        for key, row in rows.items():
            if key[0] == region_id:
                wanted[key] = (_own(row), _total(row), row.region_path)
        for (metric, part), delta in difference.items():
            own, total, path = wanted.get((region_id, metric, part), (Cell(), Cell(), paths[region_id]))
            wanted[(region_id, metric, part)] = (own, total + delta, path)
    _apply(wanted, rows, outcome)
    Indicator.objects.filter(region_id__in=ids, metric__in=keys).exclude(as_of=outcome.as_of).update(
        as_of=outcome.as_of
    )


def snapshot(day: date | None = None) -> int:
    """Keep each node's metrics (part "") as the values of `day` (today by default)."""
    day = day or timezone.localdate()
    rows = Indicator.objects.filter(part="").values_list(
        "region_id", "metric", "value", "denominator", "histogram"
    )
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(day=day).delete()
        IndicatorSnapshot.objects.bulk_create(
            [
                IndicatorSnapshot(region_id=r, metric=m, day=day, value=v, denominator=d, histogram=h)
                for r, m, v, d, h in rows
            ],
            batch_size=2000,
        )
    return len(rows)


def rebuild_history(days: int | None = None) -> int:
    """Recompute the past days' snapshots of every metric that declares `history` (what dated
    rows can derive), rolled up like the current values; other series keep their snapshots."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    count = days or settings.DASHBOARD_HISTORY_DAYS
    today = timezone.localdate()
    wanted_days = [date.fromordinal(today.toordinal() - n) for n in range(count, 0, -1)]
    regions = list(Region.objects.all().only("id", "path", "parent_id"))
    paths = {r.path: r.pk for r in regions}
    roots = [r.path for r in regions if r.parent_id is None]
    written = 0
    for metric in declared_metrics.summarised():
        if not metric.history:
            continue
        history = import_string(metric.history)
        own_by_day: dict[date, dict[str, dict[Key, Cell]]] = defaultdict(lambda: defaultdict(dict))
        for root in roots:
            for day, path, part, value in history(root, wanted_days):
                if part or path not in paths:
                    continue
                cells = own_by_day[day][path]
                cells[(metric.key, "")] = cells.get((metric.key, ""), Cell()) + cell_of(metric, value)
        snapshots = []
        for day in wanted_days:
            totals = _roll_up(own_by_day.get(day, {}), list(paths))
            for path, cells in totals.items():
                cell = cells.get((metric.key, ""))
                if cell is not None and not cell.is_zero():
                    snapshots.append(
                        IndicatorSnapshot(
                            region_id=paths[path],
                            metric=metric.key,
                            day=day,
                            value=cell.value,
                            denominator=cell.denominator,
                            histogram=list(cell.histogram),
                        )
                    )
        with transaction.atomic():
            IndicatorSnapshot.objects.filter(metric=metric.key, day__in=wanted_days).delete()
            IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=2000)
        written += len(snapshots)
    return written


def rebuild_everything() -> str:
    """A rebuild, the past days' series and today's snapshot: after a bulk load (the demo)."""
    outcome = rebuild()
    history = rebuild_history()
    kept = snapshot()
    return (
        f"Dashboards: {len(outcome.changed)} indicator(s) rebuilt, {history} past value(s), "
        f"{kept} kept for today"
    )
