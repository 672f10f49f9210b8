"""Scope-matrix cases of party building (/api/v1/party-building/), found by
tests/scope_matrix/cases.py: organizations, members and their transfers, frequencies, meetings,
elections, in-service reports, pioneer posts, service records and requests for help."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from tests.party_building import factories as f
from tests.scope_matrix.cases import Case, register
from tests.world import World, id_number, make_resident_record, mobile

_serial = itertools.count(1)


def _org(world: World, community):
    return f.organization(world.grid_of(community))


def _member(world: World, community):
    return f.member(_org(world, community))


def _probationary(world: World, community):
    return f.member(_org(world, community), kind="probationary", joined_on=date(2020, 3, 1))


def _today() -> str:
    return timezone.localdate().isoformat()


register(
    "party-building-organization",
    case=Case(
        make=_org,
        payload=lambda world, community: {
            "region": world.grid_of(community).pk,
            "kind": "branch",
            "name": "第一党支部",
            "founded_on": "2021-07-01",
        },
    ),
)
register(
    "party-building-member",
    case=Case(
        make=_member,
        payload=lambda world, community: {
            "organization": _org(world, community).pk,
            "outside": {"name": "李四", "id_number": id_number(date(1980, 2, 1)), "mobile": mobile()},
            "kind": "probationary",
            "joined_on": "2024-05-01",
        },
    ),
)
register(
    "party-building-member-transfer",
    case=Case(
        make=_member,
        update_payload=lambda world, community, obj: {
            "to_organization": _org(world, community).pk,
            "transferred_on": _today(),
        },
    ),
)
register(
    "party-building-member-make-full",
    case=Case(make=_probationary, update_payload=lambda world, community, obj: {"full_on": _today()}),
)


def _frequency(world: World, community):
    from party_building.models import MeetingFrequency

    grid = world.grid_of(community)
    return MeetingFrequency.objects.create(
        region=grid, region_path=grid.path, kind="party_lesson", every_months=2, effective_from=_a_start()
    )


def _a_start() -> str:
    return (date(2024, 1, 1) + timedelta(days=next(_serial))).isoformat()


register(
    "party-building-frequency",
    case=Case(
        make=_frequency,
        payload=lambda world, community: {
            "region": world.grid_of(community).pk,
            "kind": "theme_day",
            "every_months": 1,
            "effective_from": _a_start(),
        },
        update_payload=lambda world, community, obj: {"effective_to": "2031-12-31"},
    ),
)


def _meeting(world: World, community):
    return f.meeting(_org(world, community))


register(
    "party-building-meeting",
    case=Case(
        make=_meeting,
        payload=lambda world, community: {
            "organization": _org(world, community).pk,
            "kind": "party_lesson",
            "planned_on": _today(),
            "agenda": "学习党章",
        },
    ),
)
register(
    "party-building-meeting-hold",
    case=Case(
        make=_meeting, update_payload=lambda world, community, obj: {"held_on": _today(), "attendance": []}
    ),
)


def _election(world: World, community):
    return f.election(_org(world, community))


def _ballot(world: World, community, election) -> dict:
    voter = f.member(election.organization)
    return {"voter": voter.pk, "chosen": [election.candidates.first().member_id]}


def _election_payload(world: World, community) -> dict:
    org = _org(world, community)
    return {
        "organization": org.pk,
        "held_on": _today(),
        "seats": 1,
        "candidates": [f.member(org).pk for _ in range(2)],
    }


register("party-building-election", case=Case(make=_election, payload=_election_payload))
register("party-building-election-vote", case=Case(make=_election, update_payload=_ballot))
register("party-building-election-close", case=Case(make=_election))


register(
    "party-building-report",
    case=Case(
        make=lambda world, community: f.report(community),
        payload=lambda world, community: {
            "resident": make_resident_record(world.grid_of(community)).pk,
            "employer_organization": "市税务局机关党支部",
            "reported_on": _today(),
        },
    ),
)


def _post(world: World, community):
    return f.post(world.grid_of(community))


register(
    "party-building-post",
    case=Case(
        make=_post,
        payload=lambda world, community: {
            "region": world.grid_of(community).pk,
            "kind": "post",
            "name": "便民服务先锋岗",
            "place": "滨江路1号楼",
        },
    ),
)
register(
    "party-building-post-assign",
    case=Case(
        make=_post,
        update_payload=lambda world, community, obj: {
            "member": _member(world, community).pk,
            "starts_on": _today(),
        },
    ),
)


def _service(world: World, community):
    grid = world.grid_of(community)
    return f.service(f.post(grid), make_resident_record(grid))


register(
    "party-building-service-record",
    case=Case(
        make=_service,
        payload=lambda world, community: {
            "resident": make_resident_record(world.grid_of(community)).pk,
            "post": _post(world, community).pk,
            "served_on": _today(),
            "hours": "2.5",
            "activity": "为独居老人代购",
        },
    ),
)
register(
    "party-building-help-request",
    case=Case(
        payload=lambda world, community: {
            "post": _post(world, community).pk,
            "description": "家里水管漏水，请帮忙",
        },
    ),
)


def _assessed_member(world: World, community):
    from party_building.models import DuesAmount

    member = _member(world, community)
    DuesAmount.objects.create(member=member, monthly_amount="10.00", from_month=date(2016, 7, 1))
    return member


register(
    "party-building-member-dues-amount",
    case=Case(
        make=_member,
        update_payload=lambda world, community, obj: {"monthly_amount": "12.00", "from_month": _today()},
        success={"dues_amount": 201},
    ),
)
register(
    "party-building-member-dues-payments",
    case=Case(
        make=_assessed_member,
        update_payload=lambda world, community, obj: {
            "month": _today(),
            "amount": "10.00",
            "paid_on": _today(),
        },
        success={"dues_payment": 201},
    ),
)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _meeting_with_minutes(world: World, community):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from party_building.minutes import minutes_attach

    meeting = _meeting(world, community)
    meeting.matrix_attachment = minutes_attach(
        actor=None, meeting=meeting, upload=SimpleUploadedFile("签到表.png", PNG)
    )
    return meeting


def _minutes_upload(world: World, community, obj) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("会议记录.png", PNG, content_type="image/png")}


register(
    "party-building-meeting-attachments",
    case=Case(
        make=_meeting, update_payload=_minutes_upload, format="multipart", success={"attachments": 201}
    ),
)
register(
    "party-building-meeting-attachment",
    case=Case(
        make=_meeting_with_minutes,
        url_kwargs=lambda obj: {"pk": obj.pk, "attachment_id": obj.matrix_attachment.pk},
    ),
)


def _officer_payload(world: World, community, obj) -> dict:
    return {"member": f.member(obj).pk, "post": "secretary", "starts_on": _today()}


register(
    "party-building-organization-officers",
    case=Case(make=_org, update_payload=_officer_payload, success={"officer_appoint": 201}),
)
