"""The declared metrics (DashboardMetric contributions) as core/dashboards reads them."""

from __future__ import annotations

from django.utils.module_loading import import_string

from core.extensions.registry import registry

KIND = "dashboard_metrics"


def declared() -> list:
    """Every registered metric, in the order declared (core's parts first, then the domains)."""
    return list(registry.items(KIND))


def by_key(key: str):
    return registry.get(KIND, key) if registry.has(KIND, key) else None


def owner(metric) -> str:
    return metric.app or registry.owner(KIND, metric.key)


def summarised(metrics=None) -> list:
    """Metrics kept in the summary tables by their node-own values (per_node)."""
    return [m for m in (declared() if metrics is None else metrics) if m.per_node]


def computed(metrics=None) -> list:
    """Metrics declared before the contract, with `compute` only: each node computed on its own."""
    return [m for m in (declared() if metrics is None else metrics) if not m.per_node]


def per_node(metric):
    return import_string(metric.per_node)


def compute(metric):
    return import_string(metric.compute)
