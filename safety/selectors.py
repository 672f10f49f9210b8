"""Reads of community safety that have a rule: what a person's scope shows."""

from __future__ import annotations

from safety.models import Alarm, Device

VIEW = "safety.view"


def devices_visible_to(user):
    return Device.objects.visible_to(user, VIEW).select_related("vendor", "house")


def alarms_visible_to(user):
    return Alarm.objects.visible_to(user, VIEW).select_related("device")


def rounds_visible_to(user, permission: str = VIEW):
    from safety.models import InspectionRound

    return InspectionRound.objects.visible_to(user, permission).select_related("house")


def findings_visible_to(user):
    from safety.models import Finding

    return Finding.objects.visible_to(user, VIEW).select_related("item")


def patrol_routes_visible_to(user, permission: str = VIEW):
    from django.db.models import Prefetch

    from safety.models import PatrolPoint, PatrolRoute

    return PatrolRoute.objects.visible_to(user, permission).prefetch_related(
        Prefetch("points", queryset=PatrolPoint.objects.order_by("order"))
    )


def patrol_shifts_visible_to(user, permission: str = VIEW):
    from safety.models import PatrolShift

    return PatrolShift.objects.visible_to(user, permission).select_related("route")


def rough_sleepers_visible_to(user):
    from safety.models import RoughSleeper

    return RoughSleeper.objects.visible_to(user, VIEW)
