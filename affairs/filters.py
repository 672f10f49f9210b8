"""Filters of the affairs lists: applications, assistance standards and benefits."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from affairs.models import Application, AssistanceStandard, Benefit
from core.api.filters import IdFilter
from core.api.params import parse_id

DEFAULT_STANDARDS = "default"


class ApplicationFilter(filters.FilterSet):
    stage = filters.CharFilter(label=_("stage"))
    item = filters.CharFilter(field_name="item__code", label=_("service item"))

    class Meta:
        model = Application
        fields = ["stage", "item"]


class StandardFilter(filters.FilterSet):
    kind = filters.CharFilter()
    area = filters.CharFilter()
    region = filters.CharFilter(method="filter_region", label=_("region"))

    class Meta:
        model = AssistanceStandard
        fields = ["kind", "area", "region"]

    def filter_region(self, queryset, name, value):
        if value == DEFAULT_STANDARDS:
            return queryset.filter(region__isnull=True)
        region_id = parse_id(value)
        return queryset.filter(region_id=region_id) if region_id else queryset.none()


class BenefitFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", label=_("service item"))
    household = IdFilter(field_name="household_id")
    resident = IdFilter(field_name="resident_id")
    # true: in force today; false: ended or not begun.
    in_force = filters.BooleanFilter(method="filter_in_force")

    class Meta:
        model = Benefit
        fields = ["item", "household", "resident", "in_force"]

    def filter_in_force(self, queryset, name, value):
        in_force = queryset.in_force(timezone.localdate())
        return in_force if value else queryset.exclude(pk__in=in_force.values("pk"))
