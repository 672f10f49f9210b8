"""Statistics of government affairs for one node of the region tree and each node one level down:
applications by item and stage, the on-time rate and average working days of decided ones, and
benefits in force by item (count and monthly sum).

Set-based: three GROUP BY queries whatever the number of rows or child nodes. Each row is
attributed to a child by the path segment that follows the node's own path (SQL string
functions on `region_path`), so children cost no query of their own.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Left, StrIndex, Substr
from django.utils import timezone

from affairs.models import Application, Benefit
from affairs.models.applications import Stage
from affairs.stages import FINAL_STAGES
from core.regions.models import Region

ZERO = Decimal("0.00")


def _child_key(path: str):
    """The id (as text) of the child node a row's path passes through; '' for rows at the node."""
    rest = Substr("region_path", len(path) + 1)
    return Left(rest, StrIndex(rest, Value("/")) - 1)


def _blank() -> dict:
    return {
        "applications": {"total": 0, "open": 0, "by_item": {}},
        "decided": 0,
        "on_time": 0,
        "days_sum": 0,
        "days_count": 0,
        "benefits": {"count": 0, "monthly_sum": ZERO, "by_item": {}},
    }


def _collect(path: str) -> dict[str, dict]:
    figures: dict[str, dict] = defaultdict(_blank)
    applications = Application.objects.under(path).annotate(child=_child_key(path))
    for row in applications.values("child", "item__code", "item__name", "stage").annotate(n=Count("id")):
        apps = figures[row["child"]]["applications"]
        item = apps["by_item"].setdefault(
            row["item__code"],
            {"item": row["item__code"], "name": row["item__name"], "total": 0, "stages": {}},
        )
        item["stages"][row["stage"]] = row["n"]
        item["total"] += row["n"]
        apps["total"] += row["n"]
        if row["stage"] not in FINAL_STAGES:
            apps["open"] += row["n"]
    decided = (
        # Decided: approved or rejected (a withdrawal ends an application without a decision).
        applications.filter(stage__in=[Stage.APPROVED, Stage.REJECTED], decided_at__isnull=False)
        .values("child")
        .annotate(
            decided=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            days_sum=Sum("working_days_taken"),
            days_count=Count("working_days_taken"),
        )
    )
    for row in decided:
        target = figures[row["child"]]
        for key in ("decided", "on_time", "days_sum", "days_count"):
            target[key] += row[key] or 0
    benefits = (
        Benefit.objects.in_force(timezone.localdate())
        .under(path)
        .annotate(child=_child_key(path))
        .values("child", "item__code", "item__name")
        .annotate(count=Count("id"), monthly_sum=Sum(F("monthly_amount")))
    )
    for row in benefits:
        target = figures[row["child"]]["benefits"]
        amount = Decimal(row["monthly_sum"] or 0).quantize(ZERO)
        target["by_item"][row["item__code"]] = {
            "item": row["item__code"],
            "name": row["item__name"],
            "count": row["count"],
            "monthly_sum": amount,
        }
        target["count"] += row["count"]
        target["monthly_sum"] += amount
    return figures


def _merge(parts) -> dict:
    total = _blank()
    for part in parts:
        for key in ("decided", "on_time", "days_sum", "days_count"):
            total[key] += part[key]
        apps, benefits = total["applications"], total["benefits"]
        for key in ("total", "open"):
            apps[key] += part["applications"][key]
        for code, item in part["applications"]["by_item"].items():
            mine = apps["by_item"].setdefault(code, {**item, "total": 0, "stages": {}})
            mine["total"] += item["total"]
            for stage, n in item["stages"].items():
                mine["stages"][stage] = mine["stages"].get(stage, 0) + n
        benefits["count"] += part["benefits"]["count"]
        benefits["monthly_sum"] += part["benefits"]["monthly_sum"]
        for code, item in part["benefits"]["by_item"].items():
            mine = benefits["by_item"].setdefault(code, {**item, "count": 0, "monthly_sum": ZERO})
            mine["count"] += item["count"]
            mine["monthly_sum"] += item["monthly_sum"]
    return total


def _shape(figures: dict) -> dict:
    """The public form: lists sorted by item code, rates and averages computed, money as text."""
    decided = figures["decided"]
    days = figures["days_count"]
    benefits = figures["benefits"]
    return {
        "applications": {
            "total": figures["applications"]["total"],
            "open": figures["applications"]["open"],
            "by_item": sorted(figures["applications"]["by_item"].values(), key=lambda i: i["item"]),
        },
        "decided": decided,
        "on_time": figures["on_time"],
        "on_time_rate": round(figures["on_time"] / decided, 4) if decided else None,
        "average_working_days": round(figures["days_sum"] / days, 1) if days else None,
        "benefits": {
            "count": benefits["count"],
            "monthly_sum": str(benefits["monthly_sum"]),
            "by_item": [
                {**item, "monthly_sum": str(item["monthly_sum"])}
                for item in sorted(benefits["by_item"].values(), key=lambda i: i["item"])
            ],
        },
    }


def _node(region: Region) -> dict:
    return {"id": region.pk, "name": region.name, "level": region.level, "path": region.path}


def affairs_statistics(region: Region) -> dict:
    """The node's figures and each child's (children with nothing yet are listed with zeros)."""
    figures = _collect(region.path)
    children = list(Region.objects.filter(parent=region).order_by("name", "id"))
    return {
        "region": _node(region),
        **_shape(_merge(figures.values())),
        "children": [
            {"region": _node(child), **_shape(figures.get(str(child.pk)) or _blank())} for child in children
        ],
    }


# Dashboard metrics (affairs.contributions): callable(region) -> number or mapping ---------------


def open_applications(region: Region) -> int:
    return Application.objects.open().under(region.path).count()


def benefits_in_force(region: Region) -> dict:
    found = (
        Benefit.objects.in_force(timezone.localdate())
        .under(region.path)
        .aggregate(count=Count("id"), monthly_sum=Sum("monthly_amount"))
    )
    return {"count": found["count"], "monthly_sum": str(Decimal(found["monthly_sum"] or 0).quantize(ZERO))}


# The dashboards' node-own values (the DashboardMetric contract): (region_path, part, value) for
# every node under a path, one GROUP BY each.


def applications_open_per_node(under: str):
    rows = Application.objects.open().under(under).values("region_path").annotate(n=Count("id")).order_by()
    return ((row["region_path"], "", row["n"]) for row in rows)


def applications_on_time_per_node(under: str):
    """Decided applications (approved or rejected) decided on time: (on time, decided)."""
    rows = (
        Application.objects.under(under)
        .filter(stage__in=[Stage.APPROVED, Stage.REJECTED], decided_at__isnull=False)
        .values("region_path")
        .annotate(decided=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
        .order_by()
    )
    return ((row["region_path"], "", (row["on_time"], row["decided"])) for row in rows)


def _benefits_today(under: str):
    return (
        Benefit.objects.in_force(timezone.localdate())
        .under(under)
        .values("region_path", "item__code")
        .annotate(count=Count("id"), monthly_sum=Sum("monthly_amount"))
        .order_by()
    )


def benefits_in_force_per_node(under: str):
    totals: dict[str, int] = defaultdict(int)
    for row in _benefits_today(under):
        totals[row["region_path"]] += row["count"]
        yield row["region_path"], row["item__code"], row["count"]
    yield from ((path, "", n) for path, n in totals.items())


def benefits_monthly_amount_per_node(under: str):
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in _benefits_today(under):
        amount = Decimal(row["monthly_sum"] or 0)
        totals[row["region_path"]] += amount
        yield row["region_path"], row["item__code"], amount
    yield from ((path, "", amount) for path, amount in totals.items())
