"""Surveys: create, answer once (database constraint), and results by region with small cells
suppressed under the platform's one threshold k (settings.SMALL_CELL_K), with secondary
suppression so that no suppressed cell can be recovered from its row's or column's total."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, invalid_fields, not_found_in_payload
from core.audit.services import audit_record, changed_fields, created
from core.pii.crypto import blind_index
from core.regions.models import Region
from core.regions.paths import region_in_scope
from core.registry.models import ResidentTag
from governance.contributions import MANAGE
from governance.errors import GovernanceError
from governance.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from governance.people import record_in

# Used when the platform setting is absent (it is declared once, in config/settings.py, by the
# dashboards work: SMALL_CELL_K); never a second threshold of this app's own.
DEFAULT_K = 5


def small_cell_k() -> int:
    return getattr(settings, "SMALL_CELL_K", DEFAULT_K)


def _clean_question(position: int, question: dict) -> dict:
    kind, options = question["kind"], list(question.get("options") or [])
    if kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE) and len(options) < 2:
        raise field_error("questions", _("A choice question needs at least two options."))
    if kind == SurveyQuestion.Kind.SCALE and not 2 <= (question.get("scale_max") or 0) <= 10:
        raise field_error("questions", _("A scale runs from 1 to between 2 and 10."))
    return {
        "position": position,
        "kind": kind,
        "text": question["text"],
        "options": options,
        "scale_max": question.get("scale_max"),
    }


def survey_create(
    *, actor, region: int, title: str, questions: list[dict], anonymous=True, audience_tags=(), request=None
) -> Survey:
    place = region_in_scope(actor, region, MANAGE)
    if place is None:
        raise not_found_in_payload("region")
    if not questions:
        raise field_error("questions", _("A survey asks at least one question."))
    cleaned = [_clean_question(i, q) for i, q in enumerate(questions, start=1)]
    with transaction.atomic():
        survey = Survey.objects.create(
            region=place,
            region_path=place.path,
            title=title,
            anonymous=anonymous,
            audience_tags=list(audience_tags),
            created_by=actor,
        )
        SurveyQuestion.objects.bulk_create(SurveyQuestion(survey=survey, **q) for q in cleaned)
        audit_record(
            actor=actor,
            action="governance.survey.create",
            target=survey,
            changes=created(title=title, anonymous=anonymous, questions=len(cleaned)),
            request=request,
        )
    return survey


def _checked_value(question: SurveyQuestion, value):
    kind = question.kind
    if kind == SurveyQuestion.Kind.SINGLE and isinstance(value, int) and 0 <= value < len(question.options):
        return value
    if (
        kind == SurveyQuestion.Kind.MULTIPLE
        and isinstance(value, list)
        and value
        and len(set(value)) == len(value)
        and all(isinstance(v, int) and 0 <= v < len(question.options) for v in value)
    ):
        return sorted(value)
    if kind == SurveyQuestion.Kind.SCALE and isinstance(value, int) and 1 <= value <= question.scale_max:
        return value
    if kind == SurveyQuestion.Kind.TEXT and isinstance(value, str) and 0 < len(value) <= 1000:
        return value
    raise TypeError(question.kind)


def survey_answer(*, actor, survey: Survey, answers: dict, request=None) -> SurveyResponse:
    """A resident of the survey's region (with one of its audience tags, if it names any)
    answers, once; `answers` maps question positions to values."""
    if survey.status != Survey.Status.OPEN:
        raise Conflict(_("The survey is closed."), code=GovernanceError.WRONG_STAGE)
    record = record_in(actor, survey.region_path)
    if record is None or (
        survey.audience_tags
        and not ResidentTag.objects.current().filter(resident=record, tag__in=survey.audience_tags).exists()
    ):
        raise Forbidden(_("This survey is not addressed to you."), code=GovernanceError.NOT_IN_AUDIENCE)
    questions = {str(q.position): q for q in survey.questions.all()}
    problems, values = {}, {}
    for position, question in questions.items():
        if position not in answers:
            problems[position] = _("Answer this question.")
            continue
        try:
            values[position] = _checked_value(question, answers[position])
        except TypeError:
            problems[position] = _("This answer does not fit the question.")
    problems.update({p: _("No such question.") for p in set(answers) - set(questions)})
    if problems:
        raise invalid_fields({f"answers.{p}": m for p, m in problems.items()})
    key = blind_index(f"{survey.pk}:{record.pk}", kind="governance.survey")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                respondent_key=key,
                resident=None if survey.anonymous else record,
                region_id=record.region_id,
                region_path=record.region_path,
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question=questions[p], value=v) for p, v in values.items()
            )
            # Anonymous: the audit row names the survey, not the respondent's answers.
            audit_record(actor=actor, action="governance.survey.answer", target=survey, request=request)
    except IntegrityError:
        raise Conflict(
            _("You have already answered this survey."), code=GovernanceError.ALREADY_ANSWERED
        ) from None
    return response


def survey_close(*, actor, survey: Survey, request=None) -> Survey:
    if survey.status != Survey.Status.OPEN:
        raise Conflict(_("The survey is closed."), code=GovernanceError.WRONG_STAGE)
    with transaction.atomic():
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.survey.close",
            target=survey,
            changes=changed_fields({"status": "open"}, {"status": "closed"}),
            request=request,
        )
    return survey


# --- results --------------------------------------------------------------------------------------


def suppress(table: list[list[int]], row_totals: list[int], k: int) -> tuple[set, set]:
    """Which cells (row, column) and which row totals to hide.

    Primary: a count of 1..k-1 people. A hidden row total hides its row. Secondary: in any group
    whose total is shown (a row with its total, a column with its total, the row totals with the
    grand total), a single hidden member could be recovered by subtraction, so the smallest
    other member is hidden too; repeated until no group has exactly one."""
    rows, cols = len(table), len(table[0]) if table else 0
    hidden = {(r, c) for r in range(rows) for c in range(cols) if 0 < table[r][c] < k}
    hidden_totals = {r for r in range(rows) if 0 < row_totals[r] < k}
    changed = True
    while changed:
        changed = False
        for r in hidden_totals:
            for c in range(cols):
                if (r, c) not in hidden:
                    hidden.add((r, c))
                    changed = True
        groups = [[(r, c) for c in range(cols)] for r in range(rows) if r not in hidden_totals]
        groups += [[(r, c) for r in range(rows)] for c in range(cols)]
        for group in groups:
            if sum(cell in hidden for cell in group) == 1:
                shown = [cell for cell in group if cell not in hidden]
                if shown:
                    hidden.add(min(shown, key=lambda cell: table[cell[0]][cell[1]]))
                    changed = True
        if len(hidden_totals) == 1 and rows > 1:
            shown = [r for r in range(rows) if r not in hidden_totals]
            hidden_totals.add(min(shown, key=lambda r: row_totals[r]))
            changed = True
    return hidden, hidden_totals


def survey_results(survey: Survey) -> dict:
    """Counts per option (or scale value) by the regions one level below the survey's, with
    small cells suppressed; free-text answers are not shown here."""
    k = small_cell_k()
    children = list(Region.objects.filter(parent_id=survey.region_id).order_by("id"))
    index = {child.pk: i for i, child in enumerate(children)}
    from core.regions.paths import id_at

    def row_of(path: str) -> int | None:
        return index.get(id_at(path, survey.region.level + 1))

    responses = list(survey.responses.values_list("pk", "region_path"))
    response_row = {pk: row_of(path) for pk, path in responses}
    row_totals = [0] * len(children)
    for row in response_row.values():
        if row is not None:
            row_totals[row] += 1
    results = []
    answers = SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "question_id", "response_id", "value"
    )
    by_question: dict[int, list] = {}
    for question_id, response_id, value in answers:
        by_question.setdefault(question_id, []).append((response_id, value))
    for question in survey.questions.all():
        if question.kind == SurveyQuestion.Kind.TEXT:
            continue
        width = len(question.options) if question.options else question.scale_max
        table = [[0] * width for _child in children]
        for response_id, value in by_question.get(question.pk, []):
            row = response_row.get(response_id)
            if row is None:
                continue
            for v in value if isinstance(value, list) else [value]:
                table[row][v - 1 if question.kind == SurveyQuestion.Kind.SCALE else v] += 1
        hidden, hidden_totals = suppress(table, row_totals, k)
        results.append(
            {
                "question": question.position,
                "text": question.text,
                "labels": question.options or [str(n) for n in range(1, width + 1)],
                "regions": [
                    {
                        "region": child.pk,
                        "name": child.name,
                        "respondents": None if r in hidden_totals else row_totals[r],
                        "counts": [None if (r, c) in hidden else table[r][c] for c in range(width)],
                    }
                    for r, child in enumerate(children)
                ],
            }
        )
    total = len(responses)
    return {"k": k, "respondents": total if total == 0 or total >= k else None, "questions": results}
