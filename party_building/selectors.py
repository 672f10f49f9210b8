"""Reads of party building with a rule: what a caller may see, and each organization's figures
and flags read in the same query (counts as subqueries, whatever the number of organizations)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from party_building.contributions import MANAGE, VIEW
from party_building.models import Member, Officer, Organization
from party_building.models.members import MemberKind


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("organization").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_figures(organizations, today: date):
    """Members, full members and committee members in office of each organization."""
    members = Member.objects.active().filter(organization=OuterRef("pk"))
    in_office = Officer.objects.current(today).filter(organization=OuterRef("pk"), election__isnull=False)
    return organizations.annotate(
        member_count=_count(members),
        full_member_count=_count(members.filter(kind=MemberKind.FULL)),
        officer_count=_count(in_office),
    )


def organizations_visible_to(user, today: date):
    return with_figures(Organization.objects.visible_to(user, VIEW), today).select_related("parent")


def members_visible_to(user):
    return Member.objects.visible_to(user, VIEW).select_related("organization", "resident")


def managed(queryset, user):
    """The rows of `queryset` the user keeps (party_building.manage over their place)."""
    return queryset.visible_to(user, MANAGE)


def active_full_members(organization, on: date):
    return Member.objects.active().filter(
        Q(kind=MemberKind.FULL) & Q(full_on__lte=on) | Q(kind=MemberKind.FULL, full_on__isnull=True),
        organization=organization,
    )
