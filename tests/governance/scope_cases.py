"""Scope-matrix cases of co-governance (/api/v1/governance/): topics and their actions, surveys."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.regions.paths import is_under
from tests.scope_matrix.cases import Case, register
from tests.world import World


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
