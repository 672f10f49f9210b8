"""Checks every domain's per_node metrics share (tests/<domain>/test_dashboard_metrics.py): the
node-own values, rolled up by a rebuild, equal what the metric's old `compute` answers node by
node; and a save of a source model marks its place for a refresh."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from core.dashboards import summaries
from core.dashboards.cells import Cell, amount, shown
from core.dashboards.changes import REFRESH_TASK
from core.dashboards.models import Indicator
from core.extensions.registry import registry
from core.outbox.models import OutboxMessage


def metric(key: str):
    return registry.get("dashboard_metrics", key)


def rolled_up(key: str, region) -> dict[str, Cell]:
    """The metric's stored cells at `region` (its subtree's values), by part."""
    return {
        row.part: Cell(row.value, row.denominator, tuple(row.histogram))
        for row in Indicator.objects.filter(metric=key, region=region)
    }


def computed(key: str, region) -> dict[str, Decimal]:
    """What the old compute answers at `region`, by part, as the dashboards stored it."""
    from django.utils.module_loading import import_string

    found = import_string(metric(key).compute)(region)
    return {part: amount(number) for part, number in summaries._parts_of(found)}


def assert_rolls_up_like_compute(
    key: str,
    regions,
    *,
    headline: str | None = None,
    left_out: tuple[str, ...] = (),
    expected: Callable | None = None,
) -> None:
    """After a rebuild, each of `regions` holds what compute answers there: every numeric part
    but those `left_out` (a mean or a year, which do not add), and as part "" the `headline` part.
    `expected(region)` replaces compute's parts where the two are shaped differently."""
    declared = metric(key)
    assert declared.per_node and declared.sources, key
    summaries.rebuild([declared])
    for region in regions:
        if expected is not None:
            wanted = dict(expected(region))
        else:
            wanted = {part: n for part, n in computed(key, region).items() if part not in left_out}
            if headline is not None:
                wanted[""] = wanted[headline]
        stored = rolled_up(key, region)
        if declared.aggregation == "sum":
            wanted = {part: amount(number) for part, number in wanted.items()}
            got = {part: stored.get(part, Cell()).value for part in wanted}
        else:  # what a reader sees: the ratio of the summed numerator and denominator
            wanted = {part: None if number is None else float(number) for part, number in wanted.items()}
            got = {part: shown(declared, stored.get(part, Cell())) for part in wanted}
        assert got == wanted, (key, region.name)
        assert set(stored) <= set(wanted), (key, region.name, set(stored) - set(wanted))


def marked_by(action: Callable[[], object]) -> list[int]:
    """The nodes whose refresh `action`, run as one transaction, enqueues."""
    OutboxMessage.objects.filter(task_name=REFRESH_TASK).delete()
    with transaction.atomic():
        action()
    return sorted({row.args[0] for row in OutboxMessage.objects.filter(task_name=REFRESH_TASK)})
