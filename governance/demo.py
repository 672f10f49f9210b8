"""Demo data of co-governance for `manage.py seed_demo` (a DemoData contribution), made through
the same services as the API by the demo accounts: in the demo worker's community a deliberation
whose vote is closed with its follow-up event, an open survey, two social organizations with a
公益创投 round, and the committee election of a community in its roll phase. Once only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.accounts.models import ResidentBinding, RoleAssignment, User
from core.accounts.roles import Role
from core.regions.models import Region
from core.registry.models import Resident
from governance import deliberation, elections, surveys, ventures
from governance.models import Election, Topic
from governance.people import adults_q

VOTERS = 6


def _voters(community: Region) -> list[User]:
    """Demo accounts bound to adult residents of the community (who vote in the demo)."""
    people = (
        Resident.objects.filter(region_path__startswith=community.path, status=Resident.Status.ACTIVE)
        .filter(adults_q())
        .exclude(bindings__isnull=False)
        .order_by("id")[:VOTERS]
    )
    accounts = []
    for number, record in enumerate(people, start=1):
        user, _new = User.objects.get_or_create(username=f"voter{number}", defaults={"region": record.region})
        user.set_unusable_password()
        user.save()
        ResidentBinding.objects.get_or_create(user=user, resident=record, defaults={"method": "demo"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.RESIDENT, region=record.region)
        accounts.append(User.objects.get(pk=user.pk))  # a fresh object: its scope is computed anew
    return accounts


def _deliberation(worker: User, community: Region) -> None:
    topic = deliberation.topic_raise(
        actor=worker,
        community=community.pk,
        title="小区加装电梯费用分摊方案",
        body="一楼住户不分摊，其余按楼层递增。",
    )
    deliberation.meeting_hold(
        actor=worker,
        topic=topic,
        held_at=timezone.now() - timedelta(days=7),
        place="社区议事厅",
        agenda="1. 介绍方案 2. 讨论分摊比例 3. 确定表决方式",
        minutes="与会居民同意以一户一票表决。",
    )
    deliberation.vote_open(
        actor=worker,
        topic=topic,
        closes_at=timezone.now() + timedelta(days=1),
        electorate=Topic.Electorate.ADULT,
    )
    for number, voter in enumerate(_voters(community)):
        deliberation.topic_vote(actor=voter, topic=topic, choice="against" if number % 4 == 3 else "for")
    topic = deliberation.vote_close(actor=worker, topic=topic)
    deliberation.topic_answer(actor=worker, topic=topic, answer="社区将协调施工单位，下月开工。")
    deliberation.follow_up_open(
        actor=worker, topic=topic, title="电梯施工协调", description="联系施工单位并公示工期"
    )


def _survey(worker: User, community: Region) -> None:
    surveys.survey_create(
        actor=worker,
        region=community.pk,
        title="社区服务满意度调查",
        questions=[
            {"kind": "single", "text": "您对社区服务总体满意吗？", "options": ["满意", "基本满意", "不满意"]},
            {
                "kind": "multiple",
                "text": "您希望增加哪些服务？",
                "options": ["助餐", "托育", "文体活动", "法律咨询"],
            },
            {"kind": "scale", "text": "请为环境卫生打分", "scale_max": 5},
            {"kind": "text", "text": "其他建议"},
        ],
    )


def _venture(street_user: User, worker: User, community: Region) -> None:
    street = community.parent
    organizations = [
        ventures.organization_register(
            actor=worker,
            region=community.pk,
            name=name,
            field=field,
            stage=stage,
            contact_name=contact,
            contact_phone="13800000000",
            party_organization=party,
        )
        for name, field, stage, contact, party in (
            ("夕阳红志愿服务队", "为老服务", "filed", "陈志愿", "社区党委志愿服务党小组"),
            ("四点半课堂", "青少年服务", "incubating", "林老师", ""),
        )
    ]
    venture = ventures.round_open(
        actor=street_user,
        region=street.pk,
        title=f"{date.today().year}年公益创投",
        budget=Decimal("100000.00"),
    )
    for organization, title, amount in zip(
        organizations, ("老年助餐", "课后托管"), ("40000.00", "30000.00"), strict=True
    ):
        ventures.venture_apply(
            actor=worker, venture=venture, organization=organization, title=title, requested=Decimal(amount)
        )


def _election(street_user: User, community: Region) -> None:
    rules = elections.rules_on("安徽", timezone.localdate()) or elections.rules_add(
        actor=street_user,
        province="安徽",
        starts_on=date(2020, 1, 1),
        proxy_cap=3,
        candidate_conditions=["on_roll", "no_criminal_record", "not_dishonest_debtor"],
        source="安徽省村民委员会选举办法；安徽省实施《中华人民共和国城市居民委员会组织法》办法",
    )
    election = elections.election_announce(
        actor=street_user,
        community=community.pk,
        province=rules.province,
        term_year=timezone.localdate().year,
        seats=5,
        voting_day=timezone.localdate() + timedelta(days=30),
    )
    elections.roll_compile(actor=street_user, election=election)


def seed_governance(city: Region, *, scale) -> str:
    if Topic.objects.exists() or Election.objects.exists():
        return ""
    accounts = {u.username: u for u in User.objects.filter(username__in=["worker", "street"])}
    if len(accounts) < 2:
        return ""
    worker, street_user = accounts["worker"], accounts["street"]
    community = Region.objects.get(pk=worker.roles.filter(role=Role.COMMUNITY_WORKER).values("region")[:1])
    _deliberation(worker, community)
    _survey(worker, community)
    _venture(street_user, worker, community)
    _election(street_user, community)
    return (
        "1 deliberation (vote closed, follow-up event), 1 open survey, 2 social organizations, "
        "1 venture round, 1 election (roll)"
    )
