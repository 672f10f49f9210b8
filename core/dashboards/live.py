"""Pushing changed indicators: after a refresh commits, each node whose values moved gets one
message in its channel-layer group naming the metrics (no values, no personal data: consumers
read what they show, scoped to their user). Consumers send at most one update per
DASHBOARD_PUSH_INTERVAL_SECONDS (core.dashboards.consumers). A push is a courtesy: the page
re-reads the API when it reconnects."""

from __future__ import annotations

import logging
from collections import defaultdict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from core.outbox.services import after_commit

logger = logging.getLogger(__name__)
MESSAGE_TYPE = "dashboards.changed"


def region_group(region_id: int) -> str:
    return f"dashboards.region.{region_id}"


def push_after_commit(changed: set[tuple[int, str]]) -> None:
    by_region: dict[int, set[str]] = defaultdict(set)
    for region_id, metric in changed:
        by_region[region_id].add(metric)
    if by_region:
        after_commit(lambda: _send(by_region))


def _send(by_region: dict[int, set[str]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for region_id, metrics in by_region.items():
        async_to_sync(layer.group_send)(
            region_group(region_id), {"type": MESSAGE_TYPE, "region": region_id, "metrics": sorted(metrics)}
        )
