"""Demo party building for `manage.py seed_demo` (a DemoData contribution): in each demo
community (at most MAX_COMMUNITIES) a community party committee with two branches of residents
(where the register has at least 9 adults)
(one with an elected branch committee, some members probationary), a year of meetings held with
one theme party day missed (the daily check opens its event), a pioneer post per grid with its
members, and in-service members who reported, one of them with service records whose hours go
to the hours ledger through the hand-off.

Written directly (like the register's own demo), except the missed meeting and the service
records, which go through party_building.life.check_meetings and party_building.service."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.dashboards.changes import mark_changed
from core.extensions.demo import DemoScale
from core.imports.bulk import insert_rows
from core.regions.models import Region
from core.registry.models import Resident
from party_building import rules
from party_building.dues import standing_of
from party_building.life import check_meetings
from party_building.models import (
    Attendance,
    DuesAmount,
    DuesPayment,
    Election,
    InServiceReport,
    Meeting,
    Member,
    Officer,
    Organization,
    PioneerPost,
    PostAssignment,
)
from party_building.service import service_write

MAX_COMMUNITIES = 200
MEMBERS_PER_RESIDENTS = 100  # members of a branch: one per this many residents asked for
# ... and at most one per this many of the community's own residents: the share above is of the
# whole city, so at a million residents it asked 10,000 of each community's ~5,700 people (2 in 3
# adults members, 16 million attendance rows, an hour of seeding); two branches of one in 25 make
# about 8% of a community members, near the share of party members in the population.
COMMUNITY_RESIDENTS_PER_MEMBER = 25
DUES_AMOUNTS = ("10.00", "25.50", "6.00", "48.00", "0.20")  # monthly, by income (0.2 yuan: a pensioner)
EDUCATION = ("secondary", "college", "university", "college", "postgraduate", "primary")


def seed_party_building(city: Region, *, scale: DemoScale) -> str:
    if Organization.objects.exists() or scale.residents <= 0:
        return ""
    today = timezone.localdate()
    communities = Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by(
        "id"
    )
    made = {"communities": 0, "members": 0, "meetings": 0, "posts": 0, "services": 0, "lapsed": 0}
    for community in communities[:MAX_COMMUNITIES]:
        with transaction.atomic():
            if _community(community, today, scale, made):
                made["communities"] += 1
    if not made["communities"]:
        return ""
    missed = check_meetings(today)["missed"]
    return (
        f"Demo party building: {made['communities']} community party committees, {made['members']} members, "
        f"{made['meetings']} meetings held and {missed} missed, {made['posts']} pioneer posts, "
        f"{made['services']} service records, dues for every member ({made['lapsed']} six months unpaid)"
    )


def _place(region: Region, **fields) -> dict:
    return {"region": region, "region_path": region.path, **fields}


def _community(community: Region, today: date, scale: DemoScale, made: dict) -> bool:
    grids = list(Region.objects.filter(parent=community, level=Region.Level.GRID).order_by("id")[:2]) or [
        community
    ]
    population = Resident.objects.filter(region_path__startswith=community.path).count()
    per_branch = min(
        scale.per(MEMBERS_PER_RESIDENTS, minimum=6), max(6, population // COMMUNITY_RESIDENTS_PER_MEMBER)
    )
    adults = list(
        Resident.objects.filter(
            region_path__startswith=community.path,
            status=Resident.Status.ACTIVE,
            birth_date__lte=today - timedelta(days=365 * 25),
        ).order_by("id")[: 2 * per_branch + 3]
    )
    founded = date(today.year - 3, 7, 1)
    committee = Organization.objects.create(
        kind="committee", name=f"{community.name}党委", founded_on=founded, **_place(community)
    )
    if len(adults) < 9:
        return True  # too few people in the register for branches: the committee alone
    half = (len(adults) - 3) // 2
    people = iter(adults)
    branches = []
    for number, grid in zip((1, 2), itertools.cycle(grids), strict=False):
        branch = Organization.objects.create(
            kind="branch",
            name=f"{community.name}第{number}党支部",
            parent=committee,
            founded_on=founded,
            **_place(grid),
        )
        # In bulk (a few thousand members at the default size): no signal per row, so the
        # dashboards are told of the branch's place here.
        members = Member.objects.bulk_create([_member(branch, next(people), i, today) for i in range(half)])
        mark_changed([branch.region_path])
        made["members"] += len(members)
        branches.append((branch, members))
    _elect(branches[0][0], branches[0][1], today)
    Officer.objects.create(
        organization=branches[1][0], member=branches[1][1][0], post="secretary", starts_on=founded
    )
    for index, (branch, members) in enumerate(branches):
        made["meetings"] += _year_of_meetings(branch, members, today, skip_last_theme_day=index == 1)
        made["lapsed"] += _dues(members, today)
    made["posts"] += _posts(grids, branches, today)
    made["services"] += _in_service(community, list(people), today)
    return True


def _member(branch: Organization, resident: Resident, index: int, today: date) -> Member:
    """The member, not yet saved (saved in bulk with the branch's others)."""
    probationary = index % 5 == 4
    joined = today - timedelta(days=200) if probationary else date(1990 + index % 30, 7, 1)
    return Member(
        organization=branch,
        resident=resident,
        kind="probationary" if probationary else "full",
        joined_on=joined,
        full_on=None if probationary else rules.years_after(joined, 1),
        education=EDUCATION[index % len(EDUCATION)],
        **_place(branch.region),
    )


def _dues(members: list[Member], today: date) -> int:
    """A year of dues: an amount for everyone from twelve months ago, each month paid, except the
    branch's last member (nothing for seven months: lapsed) and the one before (two months
    behind). Returns how many are lapsed."""
    start = rules.months_later(rules.month_of(today), -12)
    amounts, payments = [], []
    for index, member in enumerate(members):
        from_month = max(start, rules.month_of(member.joined_on))
        amount = Decimal(DUES_AMOUNTS[index % len(DUES_AMOUNTS)])
        amounts.append(DuesAmount(member=member, monthly_amount=amount, from_month=from_month))
        unpaid = 7 if index == len(members) - 1 else 2 if index == len(members) - 2 else 0
        month = from_month
        while month < rules.months_later(rules.month_of(today), -unpaid):
            payments.append(
                DuesPayment(member=member, month=month, amount=amount, paid_on=month + timedelta(days=9))
            )
            month = rules.months_later(month, 1)
    DuesAmount.objects.bulk_create(amounts)
    DuesPayment.objects.bulk_create(payments)
    return sum(standing_of(member, today).lapsed for member in members[-1:])


def _elect(branch: Organization, members: list[Member], today: date) -> None:
    held = date(today.year - 1, 7, 1)
    full = [m for m in members if m.kind == "full"]
    election = Election.objects.create(
        organization=branch,
        held_on=held,
        seats=3,
        term_years=3,
        status="closed",
        entitled=len(full),
        **_place(branch.region),
    )
    for post, member in zip(("secretary", "committee_member", "committee_member"), full, strict=False):
        Officer.objects.create(
            organization=branch,
            member=member,
            post=post,
            starts_on=held,
            ends_on=rules.years_after(held, 3) - timedelta(days=1),
            election=election,
        )
    branch.term_ends_on = rules.years_after(held, 3) - timedelta(days=1)
    branch.save(update_fields=["term_ends_on"])


def _year_of_meetings(branch, members, today: date, *, skip_last_theme_day: bool) -> int:
    """Every meeting owed in the twelve months before the current period, held on time (one
    late); the second branch skipped last month's theme party day."""
    owed = rules.MEETINGS_OWED["branch"]
    held = 0
    meetings: list[Meeting] = []
    for kind in owed:
        if (
            kind == "committee_meeting"
            and not Officer.objects.filter(organization=branch, election__isnull=False).exists()
        ):
            continue
        every = rules.DEFAULT_EVERY_MONTHS[kind]
        start, _due = rules.period_of(today, every)
        for _step in range(12 // every):
            start, due = rules.period_of(start - timedelta(days=1), every)
            if (
                skip_last_theme_day
                and kind == "theme_day"
                and due == rules.period_of(today, 1)[0] - timedelta(days=1)
            ):
                continue
            held_on = (
                min(due + timedelta(days=3), today - timedelta(days=1))
                if held == 1
                else due - timedelta(days=5)
            )
            meetings.append(
                Meeting(
                    organization=branch,
                    kind=kind,
                    period_start=start,
                    due_on=due,
                    planned_on=held_on,
                    held_on=held_on,
                    status="held",
                    agenda="学习党章党规，讨论社区服务",
                    members_expected=len(members),
                    full_members_expected=sum(m.kind == "full" for m in members),
                    **_place(branch.region),
                )
            )
            held += 1
    # The year's meetings and their attendance (some thirty thousand rows at the default size)
    # in bulk, rows in the same order as one by one: not two statements per meeting.
    Meeting.objects.bulk_create(meetings)
    insert_rows(
        Attendance,
        [
            {
                "meeting_id": meeting.pk,
                "member_id": m.pk,
                "presence": "leave" if i == 1 else "present",
                "full_member": m.kind == "full",
            }
            for meeting in meetings
            for i, m in enumerate(members)
        ],
    )
    mark_changed([branch.region_path])
    return held


def _posts(grids, branches, today: date) -> int:
    made = 0
    for grid, (_branch, members) in zip(grids, branches, strict=False):
        post = PioneerPost.objects.create(
            kind="post",
            name=f"{grid.name}便民服务先锋岗",
            place=f"{grid.name}党群服务站",
            duties="代办代购、矛盾调解",
            **_place(grid),
        )
        PostAssignment.objects.bulk_create(
            PostAssignment(post=post, member=m, starts_on=today) for m in members[:2]
        )
        for served, member in enumerate(members[:2]):
            service_write(
                resident=member.resident,
                place=post,
                served_on=today - timedelta(days=7 * (served + 1)),
                hours=Decimal("2.0"),
                activity="为独居老人代购",
            )
        made += 1
    return made


def _in_service(community: Region, residents: list[Resident], today: date) -> int:
    """Three in-service members reported this year; the first served twice, the others not yet."""
    services = 0
    for index, resident in enumerate(residents[:3]):
        report = InServiceReport.objects.create(
            resident=resident,
            employer_organization=("市税务局机关党支部", "芜湖某公司党支部", "区教育局党支部")[index],
            year=today.year,
            reported_on=date(today.year, 1, 15) if today > date(today.year, 1, 15) else today,
            duties="楼栋长、环境整治",
            **_place(community),
        )
        if index == 0:
            for days in (3, 10):
                service_write(
                    resident=resident,
                    place=report,
                    served_on=today - timedelta(days=days),
                    hours=Decimal("1.5"),
                    activity="环境整治",
                )
                services += 1
    return services
