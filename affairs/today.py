"""Government affairs' part of a person's "today" list (core.accounts.today): applications
waiting for a step at the level where the person holds a role that handles them (not while the
applicant's materials are awaited, nor while publicity runs), and open benefit re-checks of
their community."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.models import Application
from affairs.models.applications import Stage
from core.accounts.roles import permissions_of
from core.accounts.today import TodayItem
from core.regions.models import Region
from core.workflow.models import Event

HANDLE = "affairs.handle"
RECHECK = "affairs.benefit_recheck"


def _held(user) -> list[tuple[int, str]]:
    """(level, path) of the nodes where the user holds a role that handles applications."""
    from core.accounts.models import RoleAssignment

    held = (
        RoleAssignment.objects.current().filter(user=user).values_list("role", "region__level", "region_path")
    )
    return [(level, path) for role, level, path in held if HANDLE in permissions_of(role)]


def applications_waiting(user, *, limit: int) -> Iterable[TodayItem]:
    today = timezone.localdate()
    conditions = [
        Q(region_path__startswith=path)
        & (
            Q(stage__in=[Stage.SUBMITTED, Stage.INVESTIGATION], item__receive_level=level)
            | Q(stage=Stage.REVIEW, item__review_level=level)
            # Publicity over: ending it is the reviewing level's step.
            | Q(stage=Stage.PUBLICITY, item__review_level=level, publicity_ends_on__lt=today)
            | Q(stage=Stage.CONFIRMATION, item__confirm_level=level)
        )
        for level, path in _held(user)
    ]
    if not conditions:
        return
    applications = (
        Application.objects.visible_to(user, HANDLE)
        .filter(reduce(or_, conditions), missing=[])
        .select_related("item", "event")
        .order_by(F("event__deadline").asc(nulls_last=True), "id")[:limit]
    )
    for application in applications:
        yield TodayItem(
            kind="affairs.application",
            object_id=str(application.pk),
            region_path=application.region_path,
            title=_("%(item)s: %(stage)s")
            % {"item": application.item.name, "stage": application.get_stage_display()},
            due_at=application.event.deadline,
            url=f"/api/v1/affairs/applications/{application.pk}/",
        )


def rechecks_due(user, *, limit: int) -> Iterable[TodayItem]:
    communities = [path for level, path in _held(user) if level == Region.Level.COMMUNITY]
    mine = Q(assignee=user)
    if communities:
        mine |= Q(assignee__isnull=True) & reduce(or_, (Q(region_path__startswith=p) for p in communities))
    events = (
        Event.objects.visible_to(user)
        .open()
        .filter(mine, type=RECHECK)
        .order_by(F("deadline").asc(nulls_last=True), "id")
        .only("id", "title", "region_path", "deadline")[:limit]
    )
    for event in events:
        yield TodayItem(
            kind="affairs.benefit_recheck",
            object_id=str(event.pk),
            region_path=event.region_path,
            title=event.title,
            due_at=event.deadline,
            url=f"/api/v1/events/{event.pk}/",
        )
