"""Scope-matrix cases of co-governance (/api/v1/governance/): topics and their actions, surveys."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from core.accounts.roles import Role
from core.regions.paths import is_under
from tests.scope_matrix.cases import Case, register
from tests.world import World, make_resident_record


def _lives_under(obj, resident) -> bool:
    return resident is not None and is_under(resident.region_path, obj.region_path)


def _topic(world: World, community, **fields):
    from governance.models import Topic

    return Topic.objects.create(
        region=community,
        region_path=community.path,
        title="加装电梯",
        raised_by=world.community_worker,
        **fields,
    )


def _voting(world: World, community):
    from governance.models import Topic

    return _topic(
        world,
        community,
        status=Topic.Status.VOTING,
        electorate=Topic.Electorate.ADULT,
        vote_closes_at=timezone.now() + timedelta(days=1),
    )


def _closed(world: World, community):
    from governance.models import Topic

    return _topic(
        world,
        community,
        status=Topic.Status.DECIDED,
        vote_closed_at=timezone.now(),
        electorate_size=10,
        votes_for=6,
        votes_against=1,
        votes_abstain=0,
        outcome=Topic.Outcome.PASSED,
    )


def _decided(world: World, community):
    from governance.models import Topic

    return _topic(world, community, status=Topic.Status.DECIDED, decision="同意")


TOPIC = {"make": _topic, "is_own": _lives_under}
register(
    "governance-topic",
    case=Case(**TOPIC, payload=lambda world, community: {"community": community.pk, "title": "停车难"}),
)
register(
    "governance-topic-comments",
    case=Case(**TOPIC, update_payload=lambda w, c, o: {"body": "支持"}, success={"comments": 201}),
)
register(
    "governance-topic-meetings",
    case=Case(
        **TOPIC,
        update_payload=lambda w, c, o: {
            "held_at": timezone.now().isoformat(),
            "place": "议事厅",
            "agenda": "方案",
        },
        success={"meetings": 201},
    ),
)
register("governance-topic-answer", case=Case(**TOPIC, update_payload=lambda w, c, o: {"answer": "已答复"}))
register("governance-topic-decide", case=Case(**TOPIC, update_payload=lambda w, c, o: {"decision": "同意"}))
register(
    "governance-topic-open-vote",
    case=Case(
        **TOPIC,
        update_payload=lambda w, c, o: {"closes_at": (timezone.now() + timedelta(days=2)).isoformat()},
    ),
)
register(
    "governance-topic-vote",
    case=Case(
        make=_voting,
        is_own=_lives_under,
        update_payload=lambda w, c, o: {"choice": "for"},
        success={"vote": 201},
    ),
)
register("governance-topic-close-vote", case=Case(make=_voting, is_own=_lives_under))
register("governance-topic-tally", case=Case(make=_closed, is_own=_lives_under))
register(
    "governance-topic-follow-ups",
    case=Case(
        make=_decided,
        is_own=_lives_under,
        update_payload=lambda w, c, o: {"title": "施工"},
        success={"follow_ups": 201},
        unaudited={
            "follow_ups": "opening the event also audits workflow.event.report (two rows, one per service)"
        },
    ),
)


# surveys ------------------------------------------------------------------------------------------


def _survey(world: World, community):
    from governance.models import Survey, SurveyQuestion

    survey = Survey.objects.create(
        region=community, region_path=community.path, title="满意度", created_by=world.community_worker
    )
    SurveyQuestion.objects.create(
        survey=survey, position=1, kind="single", text="满意吗", options=["是", "否"]
    )
    return survey


def _survey_payload(world: World, community) -> dict:
    return {
        "region": community.pk,
        "title": "满意度调查",
        "questions": [{"kind": "single", "text": "满意吗", "options": ["是", "否"]}],
    }


SURVEY = {"make": _survey, "is_own": _lives_under, "placed_at": lambda world, community: community}
register("governance-survey", case=Case(**SURVEY, payload=_survey_payload))
register(
    "governance-survey-answer",
    case=Case(**SURVEY, update_payload=lambda w, c, o: {"answers": {"1": 0}}, success={"answer": 201}),
)
register("governance-survey-results", case=Case(**SURVEY))
register("governance-survey-close", case=Case(**SURVEY))


# social organizations and venture rounds ---------------------------------------------------------


def _organization(world: World, community):
    from governance.models import SocialOrganization

    return SocialOrganization.objects.create(
        region=community,
        region_path=community.path,
        name="志愿队",
        field="为老",
        stage="filed",
        contact_name="陈某",
        contact_name_masked="陈*",
    )


def _round(world: World, community):
    from governance.models import VentureRound

    return VentureRound.objects.create(
        region=community, region_path=community.path, title="公益创投", budget="10000"
    )


AT_COMMUNITY = {"placed_at": lambda world, community: community}
register(
    "governance-organization",
    case=Case(
        make=_organization,
        **AT_COMMUNITY,
        payload=lambda world, community: {
            "region": community.pk,
            "name": "四点半课堂",
            "field": "青少年",
            "stage": "incubating",
            "contact_name": "林老师",
            "contact_phone": "13800000000",
        },
    ),
)
register(
    "governance-round",
    case=Case(
        make=_round,
        **AT_COMMUNITY,
        payload=lambda world, community: {"region": community.pk, "title": "创投", "budget": "50000.00"},
    ),
)
register(
    "governance-round-applications",
    case=Case(
        make=_round,
        update_payload=lambda world, community, obj: {
            "organization": _organization(world, community).pk,
            "title": "助餐",
            "requested": "1000.00",
        },
        success={"applications": 201},
    ),
)


def _application(world: World, community, *, stage: str = "submitted"):
    """A round with one application at `stage`: submitted, scored, funded (with a milestone) or
    reported (funded, its milestone reported); the round carries it as `matrix_application`."""
    from core.accounts.roles import Role
    from governance.models import Milestone, ReviewAssignment, VentureApplication, VentureRound
    from tests.world import make_staff

    venture = _round(world, community)
    application = VentureApplication.objects.create(
        round=venture, organization=_organization(world, community), title="助餐", requested="1000.00"
    )
    if stage != "submitted":
        reviewer = make_staff(Role.COMMUNITY_WORKER, community)
        ReviewAssignment.objects.create(application=application, reviewer=reviewer, score=80)
        venture.status = VentureRound.Status.REVIEW
        venture.save(update_fields=["status"])
    if stage in ("funded", "reported"):
        application.status, application.granted = VentureApplication.Status.FUNDED, "1000.00"
        application.save(update_fields=["status", "granted"])
        venture.status = VentureRound.Status.FUNDED
        venture.save(update_fields=["status"])
        milestone = Milestone.objects.create(application=application, title="开餐", due_on="2030-06-01")
        if stage == "reported":
            milestone.report, milestone.reported_on = "已开餐", timezone.localdate()
            milestone.save(update_fields=["report", "reported_on"])
        venture.matrix_milestone = milestone
    venture.matrix_application = application
    return venture


def _at_application(obj) -> dict:
    return {"pk": obj.pk, "application_id": obj.matrix_application.pk}


def _reviewer_payload(world: World, community, obj) -> dict:
    from core.accounts.roles import Role
    from tests.world import make_staff

    return {"reviewer": make_staff(Role.COMMUNITY_WORKER, community).pk}


register("governance-round-application", case=Case(make=_application, url_kwargs=_at_application))
register(
    "governance-round-reviewers",
    case=Case(
        make=_application,
        url_kwargs=_at_application,
        update_payload=_reviewer_payload,
        success={"reviewers": 201},
    ),
)
register(
    "governance-round-score",
    case=Case(
        make=_application,
        url_kwargs=_at_application,
        update_payload=lambda world, community, obj: {"score": 90},
        # Reaching the handler: only the reviewers assigned score, and the caller is not one (403).
        success={"score": 403},
        unaudited={"score": "refused: the caller is not an assigned reviewer"},
    ),
)
register(
    "governance-round-fund",
    case=Case(
        make=lambda world, community: _application(world, community, stage="scored"),
        url_kwargs=_at_application,
        update_payload=lambda world, community, obj: {"amount": "800.00"},
    ),
)
register(
    "governance-round-milestones",
    case=Case(
        make=lambda world, community: _application(world, community, stage="funded"),
        url_kwargs=_at_application,
        update_payload=lambda world, community, obj: {"title": "结项", "due_on": "2030-12-31"},
        success={"milestones": 201},
    ),
)
register(
    "governance-round-milestone-report",
    case=Case(
        make=lambda world, community: _application(world, community, stage="funded"),
        url_kwargs=lambda obj: {**_at_application(obj), "milestone_id": obj.matrix_milestone.pk},
        update_payload=lambda world, community, obj: {"report": "已服务老人120人"},
    ),
)
register(
    "governance-round-evaluate",
    case=Case(
        make=lambda world, community: _application(world, community, stage="reported"),
        url_kwargs=_at_application,
        update_payload=lambda world, community, obj: {"score": 85, "note": "良好"},
    ),
)


# elections -----------------------------------------------------------------------------------------

# Terms of the objects made directly (no validation) and of the payloads (2000..2100), apart.
_made_terms, _terms = itertools.count(5000), itertools.count(2030)


def _village(community):
    from core.regions.models import Region

    if not community.community_kind:
        community.community_kind = Region.CommunityKind.VILLAGE_COMMITTEE
        community.save(update_fields=["community_kind"])
    return community


def _rules():
    from datetime import date

    from governance.models import ElectionRules

    rules = ElectionRules.objects.filter(province="安徽", ends_on__isnull=True).first()
    return rules or ElectionRules.objects.create(
        province="安徽", starts_on=date(2020, 1, 1), near_relatives=["spouse", "parent", "child", "sibling"]
    )


def _election(world: World, community):
    from governance.models import Election

    _village(community)
    today = timezone.localdate()
    return Election.objects.create(
        region=community,
        region_path=community.path,
        rules=_rules(),
        law="village",
        term_year=next(_made_terms),
        seats=5,
        announced_on=today,
        voting_day=today + timedelta(days=30),
    )


def _election_payload(world: World, community) -> dict:
    _village(community)
    _rules()
    voting_day = timezone.localdate() + timedelta(days=40)
    return {
        "community": community.pk,
        "province": "安徽",
        "term_year": next(_terms),
        "seats": 5,
        "voting_day": voting_day.isoformat(),
    }


register("governance-election", case=Case(make=_election, **AT_COMMUNITY, payload=_election_payload))


# report forms (the register of upstream forms is one list for every office) -----------------------


def _form(world: World, community):
    from governance.models import FormField, UpstreamForm

    form = UpstreamForm.objects.create(office="民政局", name="月报", frequency="monthly", period="2026-11")
    FormField.objects.create(form=form, position=1, label="户数", source="register", key="households")
    return form


register(
    "governance-form",
    case=Case(
        make=_form,
        unscoped=True,
        # Not placed: the register is one list for every office (any community's worker may add one).
        placed_at=lambda world, community: world.community_a,
        payload=lambda world, community: {
            "office": "统计局",
            "name": "人口季报",
            "frequency": "quarterly",
            "period": "2026Q4",
            "fields": [{"label": "常住人口", "source": "register", "key": "residents"}],
        },
    ),
)
register(
    "governance-form-report",
    case=Case(
        make=_form,
        unscoped=True,
        update_payload=lambda world, community, obj: {"community": world.community_a.pk},
    ),
)


def _voter_on(election, community, household=None, relation="self"):
    from governance.models import RollEntry

    record = make_resident_record(world_grid(community), name="选民", household=household, relation=relation)
    return RollEntry.objects.create(
        election=election, resident=record, term_year=election.term_year, basis="registered"
    )


def world_grid(community):
    return community.children.order_by("id").first()


def _candidate_payload(world: World, community, election) -> dict:
    entry = _voter_on(election, community)
    return {"resident": entry.resident_id, "review": {}, "reviewed_by": ["公安", "法院"]}


def _proxy_payload(world: World, community, election) -> dict:
    from core.registry.models import Household

    grid = world_grid(community)
    household = Household.objects.create(region=grid, region_path=grid.path)
    principal = _voter_on(election, community, household, "child")
    proxy = _voter_on(election, community, household, "self")
    return {
        "principal": principal.resident_id,
        "proxy": proxy.resident_id,
        "relation": "child",
        "authorization_ref": "委托书1",
    }


def _with_candidate(world: World, community):
    from governance.models import Candidate

    election = _election(world, community)
    election.matrix_candidate = Candidate.objects.create(
        election=election, entry=_voter_on(election, community), status="accepted"
    )
    return election


def _counted(world: World, community):
    from governance.models import BoxCount

    election = _with_candidate(world, community)
    _voter_on(election, community)
    votes = {str(election.matrix_candidate.pk): 2}
    for entry, user in ((1, world.community_worker), (2, world.secretary)):
        BoxCount.objects.create(
            election=election, box="1", entry=entry, ballots=2, votes=votes, entered_by=user
        )
    return election


register(
    "governance-election-candidates",
    case=Case(make=_election, update_payload=_candidate_payload, success={"candidates": 201}),
)
register(
    "governance-election-proxies",
    case=Case(make=_election, update_payload=_proxy_payload, success={"proxies": 201}),
)
register(
    "governance-election-counts",
    case=Case(
        make=_with_candidate,
        update_payload=lambda world, community, obj: {
            "box": "1",
            "entry": 1,
            "ballots": 3,
            "votes": {str(obj.matrix_candidate.pk): 2},
        },
        success={"counts": 201},
    ),
)
register("governance-election-result", case=Case(make=_counted))


def _seat_left_empty(world: World, community):
    """A valid first round that elected one of five: two candidates, one elected."""
    from governance.models import Candidate, Election

    election = _election(world, community)
    for status, votes in (("elected", 3), ("not_elected", 1)):
        Candidate.objects.create(
            election=election, entry=_voter_on(election, community), status=status, votes=votes
        )
    election.status, election.ballots_cast = Election.Status.VALID, 4
    election.save(update_fields=["status", "ballots_cast"])
    return election


def _final(world: World, community):
    """A final result whose one elected member has no account (listed to be given one)."""
    election = _seat_left_empty(world, community)
    election.seats, election.result_final_on = 1, timezone.localdate()
    election.save(update_fields=["seats", "result_final_on"])
    return election


register(
    "governance-election-further-round",
    case=Case(make=_seat_left_empty, update_payload=lambda world, community, obj: {}),
)
register(
    "governance-election-handover",
    # Running the election (governance.manage) is not granting roles: the community worker is refused.
    case=Case(make=_final, success={"handover": {"*": 200, Role.COMMUNITY_WORKER: 403}}),
)


# co-building ---------------------------------------------------------------------------------------


def _unit(world: World, community):
    from governance.models import CoBuildingUnit, UnitResource

    unit = CoBuildingUnit.objects.create(
        region=community, region_path=community.path, name="驻区医院", kind="医院"
    )
    UnitResource.objects.create(unit=unit, title="义诊", category="expertise")
    return unit


def _need(world: World, community, *, status: str = "open"):
    from governance.models import Need

    need = Need.objects.create(region=community, region_path=community.path, title="上门义诊", status=status)
    if status == "matched":
        need.resource = _unit(world, community).resources.get()
        need.save(update_fields=["resource"])
    return need


register(
    "governance-unit",
    case=Case(
        make=_unit,
        **AT_COMMUNITY,
        payload=lambda world, community: {
            "region": community.pk,
            "name": "区实验小学",
            "kind": "学校",
            "resources": [{"title": "操场", "category": "venue"}],
        },
    ),
)
register(
    "governance-need",
    case=Case(
        make=_need,
        **AT_COMMUNITY,
        payload=lambda world, community: {"community": community.pk, "title": "老人助浴"},
    ),
)
register(
    "governance-need-match",
    case=Case(
        make=_need,
        update_payload=lambda world, community, obj: {"resource": _unit(world, community).resources.get().pk},
    ),
)
register(
    "governance-need-close",
    case=Case(
        make=lambda world, community: _need(world, community, status="matched"),
        update_payload=lambda world, community, obj: {"met": True, "outcome": "每月义诊"},
    ),
)


def _published(world: World, community):
    election = _election(world, community)
    election.roll_published_on = timezone.localdate()
    election.save(update_fields=["roll_published_on"])
    return election


def _objected(world: World, community):
    from governance.models import RollObjection

    election = _published(world, community)
    record = make_resident_record(world_grid(community), name="异议人")
    election.matrix_objection = RollObjection.objects.create(
        election=election, resident=record, filed_on=timezone.localdate(), content="漏登"
    )
    return election


def _long_resident_payload(world: World, community, election) -> dict:
    record = make_resident_record(world_grid(community), name="外来居民")
    record.moved_in_on = timezone.localdate() - timedelta(days=365 * 5)
    record.save(update_fields=["moved_in_on"])
    return {"resident": record.pk, "approved_by_meeting": "居民代表会议"}


register(
    "governance-election-roll-additions",
    case=Case(make=_election, update_payload=_long_resident_payload, success={"roll_additions": 201}),
)
register(
    "governance-election-objections",
    case=Case(
        make=_published,
        update_payload=lambda world, community, obj: {
            "resident": make_resident_record(world_grid(community), name="异议人").pk,
            "content": "漏登",
        },
        success={"objections": 201},
    ),
)
register(
    "governance-election-objection-decide",
    case=Case(
        make=_objected,
        url_kwargs=lambda obj: {"pk": obj.pk, "objection_id": obj.matrix_objection.pk},
        update_payload=lambda world, community, obj: {"upheld": False},
    ),
)
register(
    "governance-election-away-declarations",
    case=Case(
        make=_election,
        update_payload=lambda world, community, obj: {
            "resident": _voter_on(obj, community).resident_id,
            "will_vote": False,
        },
    ),
)
