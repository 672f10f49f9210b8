"""Filters of the community-services lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api.filters import IdFilter
from services import models as m


class VolunteerFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")
    active = filters.BooleanFilter()

    class Meta:
        model = m.Volunteer
        fields = ["resident", "active"]


class HoursFilter(filters.FilterSet):
    volunteer = IdFilter(field_name="volunteer_id")
    source_domain = filters.CharFilter(label=_("source domain"))
    served_from = filters.DateFilter(field_name="served_on", lookup_expr="gte")
    served_to = filters.DateFilter(field_name="served_on", lookup_expr="lte")

    class Meta:
        model = m.HoursEntry
        fields = ["volunteer", "source_domain", "served_from", "served_to"]


class MealRecordFilter(filters.FilterSet):
    point = IdFilter(field_name="point_id")
    resident = IdFilter(field_name="resident_id")
    served_from = filters.DateFilter(field_name="served_on", lookup_expr="gte")
    served_to = filters.DateFilter(field_name="served_on", lookup_expr="lte")

    class Meta:
        model = m.MealRecord
        fields = ["point", "resident", "served_from", "served_to"]


class SettlementFilter(filters.FilterSet):
    point = IdFilter(field_name="point_id")
    status = filters.ChoiceFilter(choices=m.MealSettlement.Status.choices)

    class Meta:
        model = m.MealSettlement
        fields = ["point", "status"]


class BookingFilter(filters.FilterSet):
    room = IdFilter(field_name="room_id")
    starts_from = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")

    class Meta:
        model = m.Booking
        fields = ["room", "starts_from"]


class RetrofitFilter(filters.FilterSet):
    stage = filters.ChoiceFilter(choices=m.Retrofit._meta.get_field("stage").choices)
    household = IdFilter(field_name="household_id")

    class Meta:
        model = m.Retrofit
        fields = ["stage", "household"]


class HomeOrderFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=m.HomeOrder.Status.choices)
    provider = IdFilter(field_name="provider_id")
    too_short = filters.BooleanFilter(field_name="visit__too_short")

    class Meta:
        model = m.HomeOrder
        fields = ["status", "provider", "too_short"]


class SocialCaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=m.SocialCase.Status.choices)
    station = IdFilter(field_name="station_id")

    class Meta:
        model = m.SocialCase
        fields = ["status", "station"]
