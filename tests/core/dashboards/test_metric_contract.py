"""The DashboardMetric contract: declarations made before it stay valid, broken ones are refused
at start-up, and every declared metric's node-own values add up to what its rows say."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.extensions import DashboardMetric
from core.extensions.registry import Registry, registry
from core.registry.models import Resident
from tests.world import make_resident_record


def test_a_declaration_from_before_the_contract_stays_valid():
    fresh = Registry()
    fresh.add(
        "affairs",
        DashboardMetric(
            key="affairs.old_style",
            name=_("Applications open"),
            compute="affairs.statistics.open_applications",
        ),
    )
    metric = fresh.get("dashboard_metrics", "affairs.old_style")
    assert (metric.aggregation, metric.counts_people, metric.per_node, metric.sources) == (
        "sum",
        False,
        "",
        (),
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, "declare per_node"),
        (
            {"per_node": "core.workflow.metrics.events_open", "aggregation": "mean"},
            "aggregation must be one of",
        ),
        (
            {"per_node": "core.workflow.metrics.resolve_time", "aggregation": "histogram"},
            "declares its buckets",
        ),
        (
            {
                "per_node": "core.workflow.metrics.resolve_time",
                "aggregation": "histogram",
                "buckets": (4.0, 1.0),
            },
            "ascending",
        ),
        ({"per_node": "core.workflow.metrics.events_open", "app": "safety"}, "app 'safety'"),
        ({"compute": "affairs.statistics.open_applications", "sources": ("workflow.Event",)}, "sources need"),
    ],
)
def test_a_broken_metric_stops_start_up(fields, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        Registry().add("workflow", DashboardMetric(key="workflow.broken", **fields))


def test_a_per_node_path_that_does_not_import_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="per_node"):
        Registry().add(
            "workflow", DashboardMetric(key="workflow.missing", per_node="core.workflow.metrics.nothing")
        )


def test_core_and_affairs_declare_their_metrics_against_the_contract():
    declared = {metric.key: metric for metric in registry.items("dashboard_metrics")}
    for key in (
        "registry.population",
        "registry.population_by_tag",
        "registry.households",
        "registry.houses",
        "registry.separated",
        "workflow.events_open",
        "workflow.events_overdue",
        "workflow.events_resolved_on_time",
        "workflow.resolve_time",
        "workflow.satisfaction",
        "affairs.applications_open",
        "affairs.applications_on_time",
        "affairs.benefits_in_force",
        "affairs.benefits_monthly_amount",
    ):
        assert declared[key].per_node, key
        assert declared[key].name_en and str(declared[key].name), key
    assert declared["registry.population"].counts_people
    assert declared["workflow.resolve_time"].aggregation == "histogram"
    assert declared["workflow.events_resolved_on_time"].aggregation == "ratio"


def test_population_is_counted_by_age_band_at_the_node_where_residents_live(world):
    grid = world.grid_of(world.community_a)
    make_resident_record(grid, name="老人", birth=date(1940, 5, 1))
    make_resident_record(grid, name="孩子", birth=date(2015, 5, 1))
    gone = make_resident_record(grid, name="搬走", birth=date(1980, 5, 1))
    Resident.objects.filter(pk=gone.pk).update(status=Resident.Status.MOVED_OUT)
    population = registry.get("dashboard_metrics", "registry.population")
    from django.utils.module_loading import import_string

    rows = {(path, part): value for path, part, value in import_string(population.per_node)(grid.path)}
    living = Resident.objects.under(grid.path).filter(status=Resident.Status.ACTIVE)
    assert rows[(grid.path, "")] == living.count()
    assert rows[(grid.path, "80_plus")] == living.filter(birth_date__lte=date(1946, 1, 1)).count() >= 1
    assert rows[(grid.path, "0_17")] >= 1
    assert sum(value for (path, part), value in rows.items() if part) == rows[(grid.path, "")]


def test_every_declared_metric_is_kept_in_the_summary_tables():
    """A metric with `compute` only is computed node by node at every rebuild: two of them were
    4.4 s of a 10 s rebuild at 1,000,000 residents (1,093 nodes). All are converted."""
    from core.dashboards import metrics as declared_metrics

    assert [m.key for m in declared_metrics.computed()] == []
