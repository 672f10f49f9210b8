"""Summary tables: kept incrementally by refreshes after each change, equal to a rebuild from
scratch, additive up the tree (sums, ratios of sums, histograms), and coalesced per community."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.dashboards import summaries
from core.dashboards.cells import Cell, percentile
from core.dashboards.models import Indicator, IndicatorSnapshot
from core.outbox.models import OutboxMessage
from core.registry.models import House, Resident
from core.workflow.models import Event
from tests.core.dashboards.conftest import event_at, refresh_after_each_commit
from tests.world import make_resident_record


def stored() -> dict:
    return {
        (row.region_id, row.metric, row.part): (
            row.own_value,
            row.own_denominator,
            row.own_histogram,
            row.value,
            row.denominator,
            row.histogram,
            row.region_path,
        )
        for row in Indicator.objects.all()
    }


def value(region, metric, part=""):
    row = Indicator.objects.filter(region=region, metric=metric, part=part).first()
    return None if row is None else row


def test_the_incremental_summary_equals_a_rebuild_from_scratch(figures, django_capture_on_commit_callbacks):
    world = figures.world
    with django_capture_on_commit_callbacks(execute=True):
        # A move between communities, a death, a new house, a rating: each refreshes its nodes.
        mover = figures.elderly[1]
        mover.region, mover.region_path = world.grid_b1, world.grid_b1.path
        mover.save()
        gone = figures.elderly[2]
        gone.status = Resident.Status.DECEASED
        gone.save()
        House.objects.create(
            region=world.grid_a1, region_path=world.grid_a1.path, address="1号", use="commercial"
        )
        figures.events[2].delete()
    incremental = stored()
    assert incremental, "changes were summarised as they happened"
    outcome = summaries.rebuild()
    assert outcome.changed == set()
    assert stored() == incremental
    # From nothing, the rebuild gives the same rows again.
    Indicator.objects.all().delete()
    summaries.rebuild()
    assert stored() == incremental


def test_population_rolls_up_to_every_ancestor(figures):
    world = figures.world
    living = Resident.objects.filter(status=Resident.Status.ACTIVE)
    for node in (world.city, world.district, world.street):
        assert value(node, "registry.population").value == living.count()
    assert (
        value(world.community_b, "registry.population").value == living.under(world.community_b.path).count()
    )
    assert value(world.grid_a1, "registry.population", "80_plus").value == 2
    assert value(world.street, "registry.population", "80_plus").value == 5
    assert value(world.street, "registry.population_by_tag", "registry.living_alone").value == 1
    assert value(world.street, "registry.separated", "floating").value == 1
    # A node's own rows are what is placed there; a street holds none of its own.
    assert value(world.street, "registry.population").own_value == 0


def test_ratios_are_ratios_of_sums_and_medians_come_from_summed_histograms(figures):
    world = figures.world
    on_time = value(world.street, "workflow.events_resolved_on_time")
    assert (on_time.value, on_time.denominator) == (3, 3)
    satisfaction = value(world.street, "workflow.satisfaction")
    assert (satisfaction.value, satisfaction.denominator) == (12, 3)
    street = value(world.street, "workflow.resolve_time")
    a = value(world.community_a, "workflow.resolve_time")
    b = value(world.community_b, "workflow.resolve_time")
    assert (
        tuple(street.histogram)
        == (Cell(histogram=tuple(a.histogram)) + Cell(histogram=tuple(b.histogram))).histogram
    )
    buckets = (1.0, 4.0, 8.0, 24.0, 48.0, 72.0, 120.0, 168.0, 336.0, 720.0)
    median = percentile(buckets, tuple(street.histogram), 0.5)
    # 2 h, 30 h, 200 h: the median lies in the 24–48 h bucket, not between the communities' medians.
    assert 24 <= median <= 48
    assert value(world.street, "workflow.events_overdue").value == 1
    assert (
        value(world.city, "workflow.events_open").value
        == Event.objects.open().exclude(state="resolved").count()
    )


def test_a_new_event_changes_its_grid_community_and_ancestors(figures, django_capture_on_commit_callbacks):
    world = figures.world
    before = {
        node.pk: value(node, "workflow.events_open").value
        for node in (world.grid_a2, world.community_a, world.city)
    }
    with django_capture_on_commit_callbacks(execute=True):
        event_at(world.grid_a2)
    for node in (world.grid_a2, world.community_a, world.city):
        assert value(node, "workflow.events_open").value == before[node.pk] + 1
    assert value(world.community_b, "workflow.events_open").value == 1


def test_changes_to_one_community_within_a_window_are_refreshed_once(
    world, settings, django_capture_on_commit_callbacks
):
    settings.DASHBOARD_REFRESH_WINDOW_SECONDS = 60
    OutboxMessage.objects.all().delete()
    make_resident_record(world.grid_a1, name="甲")
    make_resident_record(world.grid_a2, name="乙")
    make_resident_record(world.grid_b1, name="丙")
    keys = (
        OutboxMessage.objects.filter(task_name="dashboards.refresh_node")
        .values("args")
        .annotate(n=Count("id"))
    )
    assert sorted(row["args"][0] for row in keys) == sorted([world.community_a.pk, world.community_b.pk])
    message = OutboxMessage.objects.filter(task_name="dashboards.refresh_node").first()
    assert message.available_at > message.created_at  # after the window closes


def test_a_load_holding_changes_back_marks_each_place_once_or_leaves_it_to_a_rebuild(world, settings):
    from core.dashboards.changes import held_back

    settings.DASHBOARD_REFRESH_WINDOW_SECONDS = 0  # without the window: one message per row saved
    OutboxMessage.objects.all().delete()
    refreshes = OutboxMessage.objects.filter(task_name="dashboards.refresh_node")
    with held_back() as places:
        for name in ("甲", "乙", "丙"):
            make_resident_record(world.grid_a1, name=name)
        make_resident_record(world.grid_b1, name="丁")
        assert not refreshes.exists() and places
    assert sorted(row[0] for row in refreshes.values_list("args", flat=True)) == sorted(
        [world.community_a.pk, world.community_b.pk]
    )
    OutboxMessage.objects.all().delete()
    with held_back(mark_at_end=False):  # seed_demo: every summary is rebuilt afterwards
        make_resident_record(world.grid_a2, name="戊")
    assert not refreshes.exists()


def test_one_transaction_enqueues_one_refresh_per_community(world, settings):
    """Changes are marked once per transaction and node (not once per row saved), and a marking
    undone with its savepoint is made again by the next change."""
    refresh_after_each_commit(settings)  # a new message per marking, unless de-duplicated
    refreshes = OutboxMessage.objects.filter(task_name="dashboards.refresh_node")

    def waiting():
        return sorted(row.args[0] for row in refreshes.filter(sent_at__isnull=True))

    OutboxMessage.objects.all().delete()
    with transaction.atomic():
        for index in range(5):
            make_resident_record(world.grid_a1, name=f"甲{index}")
        make_resident_record(world.grid_b1, name="丙")
    assert waiting() == sorted([world.community_a.pk, world.community_b.pk])

    OutboxMessage.objects.all().delete()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_resident_record(world.grid_a1, name="乙")
            raise RuntimeError
        assert waiting() == []
        make_resident_record(world.grid_a2, name="丁")
        make_resident_record(world.grid_a2, name="戊")
    assert waiting() == [world.community_a.pk]

    with transaction.atomic():  # the next transaction marks its changes again
        make_resident_record(world.grid_a1, name="己")
    assert waiting() == [world.community_a.pk, world.community_a.pk]


def test_the_rebuild_command_corrects_drift_and_keeps_the_day(figures):
    world = figures.world
    Indicator.objects.filter(region=world.street, metric="registry.population", part="").update(value=999)
    call_command("rebuild_dashboards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        value(world.street, "registry.population").value == Resident.objects.filter(status="active").count()
    )
    assert IndicatorSnapshot.objects.filter(region=world.street, metric="registry.population").exists()


def test_the_rebuild_derives_past_days_from_dated_rows(figures):
    world = figures.world
    Event.objects.filter(pk=figures.events[0].pk).update(
        created_at=timezone.now() - timedelta(days=3), resolved_at=timezone.now() - timedelta(days=2)
    )
    summaries.rebuild_history(days=3)
    today = timezone.localdate()
    kept = {
        s.day: (s.value, s.denominator)
        for s in IndicatorSnapshot.objects.filter(
            region=world.street, metric="workflow.events_resolved_on_time"
        )
    }
    assert today - timedelta(days=3) not in kept
    assert kept[today - timedelta(days=2)] == kept[today - timedelta(days=1)] == (1, 1)


@pytest.mark.parametrize("counts", [(0,) * 11, (1,) + (0,) * 10])
def test_percentile_of_an_empty_or_single_bucket(counts):
    buckets = (1.0, 4.0, 8.0, 24.0, 48.0, 72.0, 120.0, 168.0, 336.0, 720.0)
    found = percentile(buckets, counts, 0.5)
    assert found is None if not any(counts) else 0 <= found <= 1


@pytest.mark.postgres
def test_summary_rows_leave_room_in_their_pages_for_updates_in_place(db):
    """Every refresh rewrites rows in place; with room in the page PostgreSQL does it without
    touching the indexes (HOT): the rebuild's `as_of` UPDATE at 1M residents, 0.4 s → 0.05 s."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'dashboards_indicator'")
        assert "fillfactor=50" in (cursor.fetchone()[0] or [])
