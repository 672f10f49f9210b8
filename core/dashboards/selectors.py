"""What a dashboard shows of one node: each metric's value, its change against the previous
period, and the same for each child (drill-down), as of when; and a metric's time series.

Everything is read from the summary tables (core.dashboards.models), a few queries whatever the
size of the subtree. Counts of people are withheld (core.dashboards.suppression) for callers
whose dashboard scope lies above the community, and always in exports.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, DateTimeField, F, JSONField, Q, Value, When
from django.db.models.functions import NullIf
from django.utils import timezone

from core.dashboards import metrics as declared_metrics
from core.dashboards.cells import Cell, shown
from core.dashboards.models import Indicator, IndicatorSnapshot
from core.dashboards.suppression import withheld
from core.regions.models import Region
from core.regions.paths import COMMUNITY_LEVEL, depth
from core.regions.scoping import scope_for

VIEW = "dashboards.view"
PERIODS = {"day": 1, "week": 7, "month": 30}
SERIES_POINTS = {"day": 30, "week": 12, "month": 12}


def suppresses_for(user) -> bool:
    """Whether `user` sees counts of people withheld: their dashboard scope reaches above a
    community (a street, a district, a city)."""
    paths = scope_for(user).paths_with(VIEW)
    return not paths or min(depth(p) for p in paths) < COMMUNITY_LEVEL


def region_summary(region: Region) -> dict:
    return {"id": region.pk, "name": region.name, "level": region.level, "path": region.path}


def metric_summary(metric) -> dict:
    return {
        "key": metric.key,
        "name": str(metric.name),
        "name_en": metric.name_en or str(metric.name),
        "unit": str(metric.unit),
        "app": declared_metrics.owner(metric),
        "aggregation": metric.aggregation,
        "counts_people": metric.counts_people,
        "higher_is_better": metric.higher_is_better,
        "decimals": metric.decimals,
        "parts": [{"key": key, "name": str(label)} for key, label in metric.parts],
    }


def _histogram():
    return NullIf("histogram", Value([], output_field=JSONField()))


def _cells_and_previous(ids, others, people, previous_day) -> list[tuple]:
    """(current?, region id, metric, part, value, denominator, histogram, as_of) of the current
    cells and, with current? false, of the snapshots of `previous_day`: one statement. What only
    some rows need is left NULL in the others: an empty histogram (every metric but the
    histograms) and a breakdown's as_of (only the headline's is shown); decoding them was a third
    of a district's read. Every column is an expression, so both halves list them in this order."""
    current = Indicator.objects.filter(
        Q(region_id__in=ids) | Q(region_id__in=others, part="", metric__in=people)
    ).values_list(
        Value(True),
        F("region_id"),
        F("metric"),
        F("part"),
        F("value"),
        F("denominator"),
        _histogram(),
        Case(When(part="", then=F("as_of"))),
    )
    previous = IndicatorSnapshot.objects.filter(
        Q(region_id__in=ids) | Q(region_id__in=others, metric__in=people), day=previous_day
    ).values_list(
        Value(False),
        F("region_id"),
        F("metric"),
        Value(""),
        F("value"),
        F("denominator"),
        _histogram(),
        Value(None, output_field=DateTimeField()),
    )
    return list(current.union(previous, all=True))


def _cells(rows) -> dict[tuple[int, str, str], Cell]:
    return {(r, m, p): Cell(v, d, tuple(h or ())) for _now, r, m, p, v, d, h, _as_of in rows}


_summaries: dict = {}


def metric_summaries(metrics) -> list[dict]:
    """The metrics' descriptions in the active language (kept per language and registry state)."""
    from django.utils.translation import get_language

    from core.extensions.registry import registry

    key = (get_language(), registry.generation, tuple(m.key for m in metrics))
    if key not in _summaries:
        _summaries[key] = [metric_summary(m) for m in metrics]
    return _summaries[key]


def dashboard(region: Region, *, suppress: bool, period: str = "day", today: date | None = None) -> dict:
    today = today or timezone.localdate()
    k = settings.SMALL_CELL_K
    metrics = declared_metrics.declared()
    # Two statements whatever the tree: the children and (for suppression) the siblings, then the
    # cells and the previous period's values together: all of the node's and its children's, and
    # of the siblings only the headline counts of people that suppression compares.
    nearby = Q(parent=region)
    if suppress and region.parent_id is not None:
        nearby |= Q(parent_id=region.parent_id)
    regions = list(Region.objects.filter(nearby, merged_into__isnull=True).order_by("name", "id"))
    children = [r for r in regions if r.parent_id == region.pk]
    sibling_ids = [r.pk for r in regions if r.parent_id == region.parent_id] if region.parent_id else []
    ids = [region.pk, *(c.pk for c in children)]
    others = [pk for pk in sibling_ids if pk not in ids]
    people = [m.key for m in metrics if m.counts_people]
    previous_day = today - timedelta(days=PERIODS[period])
    rows = _cells_and_previous(ids, others, people, previous_day)
    current = _cells(row for row in rows if row[0])
    parts = _parts_by_node(current)
    shown_ids = set(ids)
    as_of = {(r, m): t for now, r, m, p, _v, _d, _h, t in rows if now and not p and r in shown_ids}
    previous = {(r, m, ""): Cell(v, d, tuple(h or ())) for now, r, m, _p, v, d, h, _t in rows if not now}
    hidden = (
        _withheld(region, children, sibling_ids, metrics, current, parts, previous, k) if suppress else set()
    )

    def indicators(region_id: int, *, with_parts: bool) -> dict:
        found = {}
        for metric in metrics:
            cell = current.get((region_id, metric.key, ""))
            value = shown(metric, cell or Cell())
            before_cell = previous.get((region_id, metric.key, ""))
            before = shown(metric, before_cell) if before_cell is not None else None
            is_hidden = (region_id, metric.key, "") in hidden
            before_hidden = is_hidden or ("previous", region_id, metric.key) in hidden
            entry = {
                "value": None if is_hidden else value,
                "previous": None if before_hidden else before,
                "change": None
                if before_hidden or value is None or before is None
                else round(value - before, max(metric.decimals, 1)),
                "suppressed": is_hidden,
                "as_of": as_of.get((region_id, metric.key)),
            }
            if metric.aggregation == "histogram" and cell is not None:
                from core.dashboards.cells import percentile

                p90 = percentile(metric.buckets, cell.histogram, 0.9)
                entry["p90"] = None if p90 is None else round(p90, 1)
            if with_parts:
                entry["parts"] = {
                    part: (None if (region_id, metric.key, part) in hidden else shown(metric, c))
                    for part, c in parts.get((region_id, metric.key), {}).items()
                }
            found[metric.key] = entry
        return found

    stamps = [t for t in as_of.values() if t is not None]
    return {
        "region": region_summary(region),
        "period": period,
        "previous_day": previous_day,
        "as_of": min(stamps) if stamps else None,
        "suppressed_below": k if suppress else None,
        "metrics": metric_summaries(metrics),
        "indicators": indicators(region.pk, with_parts=True),
        "children": [
            {"region": region_summary(child), "indicators": indicators(child.pk, with_parts=False)}
            for child in children
        ],
    }


def _parts_by_node(current: dict) -> dict[tuple[int, str], dict[str, Cell]]:
    """The breakdown cells (part other than "") of each node's metric, found once."""
    found: dict[tuple[int, str], dict[str, Cell]] = {}
    for (region_id, key, part), cell in current.items():
        if part:
            found.setdefault((region_id, key), {})[part] = cell
    return found


def _withheld(region, children, sibling_ids, metrics, current, parts, previous, k) -> set:
    """The cells to withhold: the node among its siblings, its children among themselves, the
    node's parts among themselves; the same for the previous period's values."""
    people = [m for m in metrics if m.counts_people]
    if not people:
        return set()
    if region.parent_id is None:
        sibling_ids = [region.pk]
    hidden: set = set()
    child_ids = [c.pk for c in children]
    for metric in people:

        def number(cell):
            return float(cell.value) if cell is not None else 0

        # The node among its siblings, now and before.
        now = {rid: number(current.get((rid, metric.key, ""))) for rid in sibling_ids}
        before = {rid: number(previous.get((rid, metric.key, ""))) for rid in sibling_ids}
        if region.pk in withheld(now, k):
            hidden.add((region.pk, metric.key, ""))
        if region.pk in withheld(before, k):
            hidden.add(("previous", region.pk, metric.key))
        # Its children among themselves.
        now = {rid: number(current.get((rid, metric.key, ""))) for rid in child_ids}
        before = {rid: number(previous.get((rid, metric.key, ""))) for rid in child_ids}
        hidden |= {(rid, metric.key, "") for rid in withheld(now, k)}
        hidden |= {("previous", rid, metric.key) for rid in withheld(before, k)}
        # The node's parts among themselves.
        own_parts = {part: float(c.value) for part, c in parts.get((region.pk, metric.key), {}).items()}
        node_hidden = (region.pk, metric.key, "") in hidden
        hidden |= {
            (region.pk, metric.key, part) for part in (own_parts if node_hidden else withheld(own_parts, k))
        }
    return hidden


def series(region: Region, metrics: list, *, by: str, suppress: bool, today: date | None = None) -> dict:
    """Each metric's value at the end of each of the last days, weeks or months (snapshots),
    the current value last: two queries whatever the number of metrics."""
    today = today or timezone.localdate()
    ends = _period_ends(today, by, SERIES_POINTS[by])
    keys = [m.key for m in metrics]
    snaps = {
        (s.metric, s.day): Cell(s.value, s.denominator, tuple(s.histogram))
        for s in IndicatorSnapshot.objects.filter(region=region, metric__in=keys, day__in=ends)
    }
    for row in Indicator.objects.filter(region=region, metric__in=keys, part=""):
        snaps[(row.metric, today)] = Cell(row.value, row.denominator, tuple(row.histogram))
    k = settings.SMALL_CELL_K
    found = {}
    for metric in metrics:
        points = []
        for end in ends:
            cell = snaps.get((metric.key, end))
            value = shown(metric, cell) if cell is not None else None
            if suppress and metric.counts_people and value is not None and 0 < value < k:
                value = None
            points.append({"day": end, "value": value})
        found[metric.key] = points
    return found


def _period_ends(today: date, by: str, points: int) -> list[date]:
    if by == "day":
        return [today - timedelta(days=n) for n in range(points - 1, -1, -1)]
    if by == "week":
        return [today - timedelta(weeks=n) for n in range(points - 1, -1, -1)]
    ends = []
    year, month = today.year, today.month
    for n in range(points - 1, 0, -1):
        y, m = divmod(year * 12 + month - 1 - n, 12)
        # The last day of that month.
        first_next = date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
        ends.append(first_next - timedelta(days=1))
    return [*ends, today]
