"""Filters of the safety lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api.filters import IdFilter
from safety.models import Alarm, Device, Finding, PatrolRoute, PatrolShift, RoughSleeper


class DeviceFilter(filters.FilterSet):
    kind = filters.CharFilter(label=_("kind"))
    offline = filters.BooleanFilter(
        field_name="offline_since", lookup_expr="isnull", exclude=True, label=_("offline")
    )
    house = IdFilter(field_name="house_id", label=_("house"))

    class Meta:
        model = Device
        fields = ["kind", "offline", "house"]


class AlarmFilter(filters.FilterSet):
    device = IdFilter(field_name="device_id", label=_("device"))
    kind = filters.CharFilter(label=_("kind"))

    class Meta:
        model = Alarm
        fields = ["device", "kind"]


class FindingFilter(filters.FilterSet):
    status = filters.CharFilter(label=_("status"))
    kind = filters.CharFilter(label=_("kind"))
    severity = filters.CharFilter(label=_("severity"))
    repeat = filters.BooleanFilter(label=_("repeated at this place"))

    class Meta:
        model = Finding
        fields = ["status", "kind", "severity", "repeat"]


class PatrolRouteFilter(filters.FilterSet):
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = PatrolRoute
        fields = ["current"]


class PatrolShiftFilter(filters.FilterSet):
    route = IdFilter(field_name="route_id", label=_("route"))
    status = filters.CharFilter(label=_("status"))
    kind = filters.CharFilter(label=_("kind"))

    class Meta:
        model = PatrolShift
        fields = ["route", "status", "kind"]


class RoughSleeperFilter(filters.FilterSet):
    shift = IdFilter(field_name="shift_id", label=_("shift"))
    identified = filters.BooleanFilter(label=_("identified"))

    class Meta:
        model = RoughSleeper
        fields = ["shift", "identified"]
