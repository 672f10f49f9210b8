"""The dashboards' tests: summaries refresh after each commit (no coalescing window), tasks run
in-process, and `figures` puts residents, tags, houses and events across the world's tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.registry.models import Resident, ResidentTag
from core.workflow.models import Event
from tests.world import World, make_resident_record


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks, settings):
    settings.SMALL_CELL_K = 5


def refresh_after_each_commit(settings) -> None:
    """From here on, each commit refreshes its community at once (no coalescing window)."""
    settings.DASHBOARD_REFRESH_WINDOW_SECONDS = 0


def event_at(
    grid, *, hours_to_resolve: float | None = None, overdue: bool = False, rating: int | None = None
):
    now = timezone.now()
    event = Event.objects.create(
        type="workflow.general_request",
        domain="workflow",
        source=Event.Source.PATROL,
        title="路灯不亮",
        region=grid,
        region_path=grid.path,
        deadline=now - timedelta(hours=1) if overdue else now + timedelta(days=3),
    )
    if hours_to_resolve is not None:
        event.created_at = now - timedelta(hours=hours_to_resolve)
        event.resolved_at = now
        event.state = "resolved"
        event.satisfaction = rating
        event.save()
    return event


@dataclass
class Figures:
    world: World
    elderly: list
    events: list


def add_figures(world: World) -> Figures:
    elderly = []
    for index, grid in enumerate((world.grid_a1, world.grid_a1, world.grid_a2, world.grid_b1, world.grid_b1)):
        elderly.append(make_resident_record(grid, name=f"老人{index}", birth=date(1940, 3, index + 1)))
    for index in range(7):
        make_resident_record(world.grid_b1, name=f"青年{index}", birth=date(1995, 1, index + 1))
    ResidentTag.objects.create(resident=elderly[0], tag="registry.living_alone")
    floating = make_resident_record(
        world.grid_a2, name="流动", residence_type=Resident.ResidenceType.FLOATING
    )
    events = [
        event_at(world.grid_a1, hours_to_resolve=2, rating=5),
        event_at(world.grid_a1, hours_to_resolve=30, rating=3),
        event_at(world.grid_b1, hours_to_resolve=200, rating=4),
        event_at(world.grid_b1, overdue=True),
        event_at(world.grid_a2),
    ]
    return Figures(world, [*elderly, floating], events)


@pytest.fixture
def figures(world, settings, django_capture_on_commit_callbacks) -> Figures:
    """The world summarised by a rebuild, then the figures added change by change."""
    from core.dashboards import summaries

    summaries.rebuild()
    refresh_after_each_commit(settings)
    with django_capture_on_commit_callbacks(execute=True):
        return add_figures(world)
