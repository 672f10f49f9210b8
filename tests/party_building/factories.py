"""Party building rows written directly for tests (no audit row, no rules run): the services'
own tests build through the services instead."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from tests.world import make_resident_record

_serial = itertools.count(1)
FOUNDED = date(2020, 1, 1)


def organization(region, *, kind="branch", parent=None, founded_on=FOUNDED, **fields):
    from party_building.models import Organization

    return Organization.objects.create(
        region=region,
        region_path=region.path,
        kind=kind,
        name=f"第{next(_serial)}党支部",
        parent=parent,
        founded_on=founded_on,
        **fields,
    )


def member(
    org, *, kind="full", joined_on=date(2015, 7, 1), full_on=None, resident=None, birth=None, **fields
):
    from party_building.models import Member

    if resident is None:
        resident = make_resident_record(
            org.region if org.region.level == 5 else _grid(org.region), birth=birth
        )
    return Member.objects.create(
        organization=org,
        region=org.region,
        region_path=org.region_path,
        resident=resident,
        kind=kind,
        joined_on=joined_on,
        full_on=full_on or (date(2016, 7, 1) if kind == "full" else None),
        **fields,
    )


def _grid(region):
    from core.regions.models import Region

    return Region.objects.filter(parent=region, level=Region.Level.GRID).order_by("id").first() or region


def meeting(org, *, kind="party_lesson", period_start=None, due_on=None, **fields):
    from party_building.models import Meeting

    start = period_start or timezone.localdate().replace(day=1) - timedelta(days=400 + next(_serial))
    return Meeting.objects.create(
        organization=org,
        region=org.region,
        region_path=org.region_path,
        kind=kind,
        period_start=start,
        due_on=due_on or start + timedelta(days=80),
        **fields,
    )


def election(org, *, candidates=3, seats=1):
    from party_building.models import Candidate, Election

    people = [member(org) for _ in range(candidates)]
    made = Election.objects.create(
        organization=org,
        region=org.region,
        region_path=org.region_path,
        held_on=timezone.localdate(),
        seats=seats,
        term_years=3,
        entitled=len(people),
    )
    Candidate.objects.bulk_create([Candidate(election=made, member=p) for p in people])
    return made


def post(region, **fields):
    from party_building.models import PioneerPost

    return PioneerPost.objects.create(
        region=region, region_path=region.path, kind="post", name=f"先锋岗{next(_serial)}", **fields
    )


def report(community, resident=None, *, year=None):
    from party_building.models import InServiceReport

    today = timezone.localdate()
    resident = resident or make_resident_record(_grid(community))
    return InServiceReport.objects.create(
        region=community,
        region_path=community.path,
        resident=resident,
        employer_organization="市税务局机关党支部",
        year=year or today.year,
        reported_on=today,
    )


def service(post_or_report, resident, *, hours="2.0", served_on=None):
    from party_building.models import PioneerPost, ServiceRecord

    at_post = isinstance(post_or_report, PioneerPost)
    return ServiceRecord.objects.create(
        region_id=post_or_report.region_id,
        region_path=post_or_report.region_path,
        resident=resident,
        post=post_or_report if at_post else None,
        report=None if at_post else post_or_report,
        served_on=served_on or timezone.localdate(),
        hours=hours,
        activity="帮扶走访",
    )
