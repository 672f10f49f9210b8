"""Filters of the party building lists."""

from __future__ import annotations

from django_filters import rest_framework as filters

from core.api.filters import IdFilter, IntegerFilter
from party_building.models import (
    Election,
    InServiceReport,
    Meeting,
    Member,
    Organization,
    PioneerPost,
    ServiceRecord,
)


class OrganizationFilter(filters.FilterSet):
    kind = filters.CharFilter()
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Organization
        fields = ["kind", "parent"]


class MemberFilter(filters.FilterSet):
    organization = IdFilter(field_name="organization_id")
    kind = filters.CharFilter()
    status = filters.CharFilter()

    class Meta:
        model = Member
        fields = ["organization", "kind", "status"]


class MeetingFilter(filters.FilterSet):
    organization = IdFilter(field_name="organization_id")
    kind = filters.CharFilter()
    status = filters.CharFilter()

    class Meta:
        model = Meeting
        fields = ["organization", "kind", "status"]


class ElectionFilter(filters.FilterSet):
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = Election
        fields = ["organization"]


class ReportFilter(filters.FilterSet):
    year = IntegerFilter(min_value=1921, max_value=9999)  # the party's founding year onward

    class Meta:
        model = InServiceReport
        fields = ["year"]


class PostFilter(filters.FilterSet):
    kind = filters.CharFilter()

    class Meta:
        model = PioneerPost
        fields = ["kind"]


class ServiceRecordFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")
    post = IdFilter(field_name="post_id")

    class Meta:
        model = ServiceRecord
        fields = ["resident", "post"]
