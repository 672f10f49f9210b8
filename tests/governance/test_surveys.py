"""Surveys: one answer per person (a database constraint, anonymous ones too), the audience by
region and tags, and results by region with small cells suppressed under the platform's k,
secondary suppression included (no hidden cell recoverable from a shown total)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from core.api.errors import ApplicationError
from core.regions.models import Region
from core.registry.models import ResidentTag
from governance import surveys
from governance.errors import GovernanceError
from governance.models import SurveyResponse
from tests.world import make_resident_user, region

QUESTIONS = [
    {"kind": "single", "text": "对物业满意吗", "options": ["满意", "不满意"]},
    {"kind": "scale", "text": "打分", "scale_max": 5},
    {"kind": "text", "text": "建议"},
]


def survey_in(world, place, **fields):
    return surveys.survey_create(
        actor=world.community_worker, region=place.pk, title="物业满意度", questions=QUESTIONS, **fields
    )


def answer(user, survey, choice=0, score=4):
    return surveys.survey_answer(actor=user, survey=survey, answers={"1": choice, "2": score, "3": "多种树"})


def code_of(call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_an_anonymous_survey_is_answered_once_and_names_nobody(world):
    survey = survey_in(world, world.community_a)
    answer(world.resident_user, survey)
    assert code_of(answer, world.resident_user, survey, 1) == GovernanceError.ALREADY_ANSWERED
    response = SurveyResponse.objects.get(survey=survey)
    assert response.resident_id is None and len(response.respondent_key) == 64  # a keyed hash
    assert response.region_id == world.grid_a1.pk
    assert response.answers.count() == 3


def test_a_named_survey_keeps_the_respondent(world):
    survey = survey_in(world, world.community_a, anonymous=False)
    answer(world.resident_user, survey)
    assert SurveyResponse.objects.get(survey=survey).resident_id == world.applicant.pk


def test_the_audience_is_the_region_and_its_tags(world):
    tagged = survey_in(world, world.community_a, audience_tags=["registry.disability"])
    assert code_of(answer, world.resident_user, tagged) == GovernanceError.NOT_IN_AUDIENCE
    ResidentTag.objects.create(resident=world.applicant, tag="registry.disability")
    answer(world.resident_user, tagged)
    elsewhere = survey_in(world, world.grid_a2)
    assert code_of(answer, world.resident_user, elsewhere) == GovernanceError.NOT_IN_AUDIENCE


def test_answers_must_fit_their_questions(world):
    survey = survey_in(world, world.community_a)
    with pytest.raises(ApplicationError) as caught:
        surveys.survey_answer(actor=world.resident_user, survey=survey, answers={"1": 7, "2": 9})
    assert set(caught.value.fields) == {"answers.1", "answers.2", "answers.3"}
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_secondary_suppression_hides_a_second_cell_of_a_row_and_a_second_total():
    table = [[5, 1], [4, 3], [2, 0]]
    hidden, hidden_totals = surveys.suppress(table, [6, 7, 2], k=3)
    # (0,1)=1 and row 2 (total 2) are primary; (0,0) keeps 6-5 from revealing (0,1); row 0's
    # total hides too, or the grand total less row 1 would reveal row 2's.
    assert hidden == {(0, 0), (0, 1), (2, 0), (2, 1)}
    assert hidden_totals == {0, 2}


@override_settings(SMALL_CELL_K=3)
def test_results_by_region_suppress_small_cells_under_the_platform_k(world):
    grid_a3 = region("第3网格", Region.Level.GRID, world.community_a)
    survey = survey_in(world, world.community_a)
    plan = {world.grid_a1: [0] * 5 + [1], world.grid_a2: [0] * 4 + [1] * 3, grid_a3: [0, 0]}
    for grid, choices in plan.items():
        for choice in choices:
            answer(make_resident_user(grid), survey, choice)
    results = surveys.survey_results(survey)
    assert (results["k"], results["respondents"]) == (3, 15)
    first = {row["region"]: (row["respondents"], row["counts"]) for row in results["questions"][0]["regions"]}
    assert first == {
        world.grid_a1.pk: (None, [None, None]),
        world.grid_a2.pk: (7, [4, 3]),
        grid_a3.pk: (None, [None, None]),
    }
    assert [q["question"] for q in results["questions"]] == [1, 2]  # free text is not tabulated
