"""An application's steps (affairs.stages): checked against the stage, the item's levels and the
actor, then written in one transaction with the event's step, the audit row and the notices."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs import announce, eligibility
from affairs.actors import acts_at_level, is_applicant_side, is_household_member
from affairs.errors import AffairsError
from affairs.models import Application
from affairs.models.applications import Stage
from affairs.stages import APPLICANT, APPLICANT_OR_STAGE, STAGE_LEVEL, STEPS, allowed_steps
from core.api.errors import ApplicationError, Conflict, Forbidden, field_error
from core.workflow import sla
from core.workflow.models import EventAttachment
from core.workflow.services import event_step
from core.workflow.states import State

MAX_MISSING = 30


def forbidden() -> ApplicationError:
    return Forbidden(_("Your role may not take this step on this application."))


def may_act(user, application: Application, action: str, *, member: bool | None = None) -> bool:
    """`member`: whether the user lives in the household, when the caller already knows."""
    actor = STEPS[action].actor
    if actor == APPLICANT:
        return is_applicant_side(user, application)
    if actor == APPLICANT_OR_STAGE and is_applicant_side(user, application):
        return True
    return acts_for_stage(user, application, member=member)


def acts_for_stage(user, application: Application, *, member: bool | None = None) -> bool:
    """Staff holding a role at the level of the application's stage, outside the household."""
    # 回避: staff do not handle the application of a household they live in.
    if is_household_member(user, application.household_id) if member is None else member:
        return False
    level = getattr(application.item, STAGE_LEVEL[application.stage])
    return acts_at_level(user, application.region_path, level)


def steps_for(user, application: Application) -> list[str]:
    """The steps this user may take now (shown with the application)."""
    if application.stage not in STAGE_LEVEL:
        return []
    allowed = allowed_steps(application.stage, awaiting_materials=bool(application.missing))
    member = is_household_member(user, application.household_id)
    return [a for a in allowed if may_act(user, application, a, member=member)]


def _clean_missing(application: Application, missing) -> list[str]:
    if not isinstance(missing, list) or not missing or len(missing) > MAX_MISSING:
        raise field_error("missing", _("List everything that is missing, at once (1 to 30 entries)."))
    if not all(isinstance(m, str) and 0 < len(m.strip()) <= 200 for m in missing):
        raise field_error("missing", _("Each entry is a material code or a short description."))
    return list(dict.fromkeys(m.strip() for m in missing))


def _supplied_since(application: Application) -> set[str]:
    return set(
        EventAttachment.objects.filter(
            event_id=application.event_id, created_at__gte=application.returned_at
        ).values_list("label", flat=True)
    )


def _decide(application: Application, event, now) -> None:
    """Working days to the decision, and whether it met the deadline (as shifted by pauses)."""
    start = event.accepted_at or application.created_at
    calendar = sla.calendar_from(start)
    elapsed = calendar.working_days_between(timezone.localtime(start).date(), timezone.localtime(now).date())
    application.decided_at = now
    # The days spent waiting for materials (the event's waits) do not count.
    application.working_days_taken = max(0, elapsed - event.waited_working_days)
    application.on_time = event.deadline is None or now <= event.deadline


def application_step(
    *,
    application: Application,
    action: str,
    actor,
    note: str = "",
    missing=None,
    confirmed=None,
    request=None,
) -> Application:
    """Take one step. `missing`: what a `return` lists; `confirmed`: the items described in words
    that the staff taking `supplement` confirm received."""
    step = STEPS.get(action)
    if step is None:
        raise field_error("action", _("Unknown step."), code=AffairsError.UNKNOWN_ACTION)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("item", "event")
            .get(pk=application.pk)
        )
        allowed = allowed_steps(application.stage, awaiting_materials=bool(application.missing))
        if action not in allowed:
            raise Conflict(
                _("This application is at %(stage)s; allowed now: %(allowed)s.")
                % {"stage": application.get_stage_display(), "allowed": ", ".join(allowed) or "—"},
                code=AffairsError.STEP_NOT_ALLOWED,
                fields={"action": allowed},
            )
        if not may_act(actor, application, action):
            raise forbidden()
        note = (note or "").strip()
        if step.note_required and not note:
            raise field_error("note", _("Say why in the note."))
        from_stage, now = application.stage, timezone.now()
        to_state, data = _prepare(
            application, action, actor=actor, missing=missing, confirmed=confirmed, now=now
        )
        if action in {"confirm", "reject", "withdraw"}:
            application.decision_note = note[:1000]
        data["to_stage"] = application.stage
        event = event_step(
            event=application.event,
            action=f"affairs.{action}",
            actor=actor,
            to_state=to_state,
            note=note[:1000],
            data=data,
            request=request,
        )
        application.event = event
        if action in {"confirm", "reject"}:
            _decide(application, event, now)
        elif action == "withdraw":
            application.decided_at = now  # ended, but not decided: no on-time or working days
        application.save()
        if action == "confirm":
            from affairs.benefits import benefits_grant

            benefits_grant(application, actor=actor)
        announce.step_taken(
            application, action=action, actor=actor, stage_changed=from_stage != application.stage
        )
    return application


def _prepare(
    application: Application, action: str, *, actor, missing, confirmed, now
) -> tuple[str | None, dict]:
    """What the step does to the application before it is written; the event state it enters."""
    step, from_stage = STEPS[action], application.stage
    to_state, data = step.event_state, {"from_stage": from_stage}
    if action == "review":
        application.reviewed_by = actor
        application.stage = Stage.PUBLICITY if application.item.publicity_days else Stage.CONFIRMATION
        if application.stage == Stage.PUBLICITY:
            application.publicity_starts_on = timezone.localdate()
            application.publicity_ends_on = application.publicity_starts_on + timedelta(
                days=application.item.publicity_days - 1
            )
    elif action == "end_publicity":
        _check_publicity_over(application)
    elif action == "confirm":
        _check_confirmation(application, actor)
        _record_reading(application, actor)
    elif action == "return":
        _check_first_return(application)
        application.missing = _clean_missing(application, missing)
        application.returned_from, application.returned_at = from_stage, now
        # Before intake the clock has not started: nothing to pause.
        to_state = State.WAITING if from_stage != Stage.SUBMITTED else None
        data["missing"] = application.missing
    elif action == "supplement":
        _check_supplied(application)
        data["confirmed"] = _check_confirmed(application, actor, confirmed)
        data["supplied"] = application.missing
        application.missing = []
        to_state = State.IN_PROGRESS if application.event.state == State.WAITING else None
    if step.target is not None:
        application.stage = step.target
    return to_state, data


def _record_reading(application: Application, actor) -> None:
    """Confirmation reads eligibility again, with the standard in force on the application date."""
    reading = eligibility.evaluate(application)
    if not reading.get("eligible"):
        raise Conflict(
            _("The household does not meet the conditions: %(reasons)s")
            % {"reasons": "; ".join(reading.get("reasons", []))},
            code=AffairsError.NOT_ELIGIBLE,
        )
    application.eligibility = reading
    application.monthly_amount = _amount(reading.get("monthly_amount"))
    application.one_off_amount = _amount(reading.get("one_off_amount"))
    application.confirmed_by = actor


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _check_publicity_over(application: Application) -> None:
    if application.publicity_ends_on and timezone.localdate() <= application.publicity_ends_on:
        raise Conflict(
            _("The publicity runs until %(date)s.") % {"date": application.publicity_ends_on},
            code=AffairsError.PUBLICITY_RUNNING,
        )
    if application.objections.filter(upheld__isnull=True).exists():
        raise Conflict(
            _("Settle every objection before the publicity ends."), code=AffairsError.OBJECTION_OPEN
        )
    if application.objections.filter(upheld=True).exists():
        raise Conflict(
            _("An objection was upheld: the application can only be rejected."),
            code=AffairsError.OBJECTION_UPHELD,
        )


def _check_confirmation(application: Application, actor) -> None:
    # Whatever the levels (one person may hold roles at two), the reviewer does not confirm.
    if application.reviewed_by_id == actor.pk:
        raise Conflict(
            _("The confirmation must be made by another person than the reviewer."),
            code=AffairsError.SAME_PERSON,
        )


def _check_first_return(application: Application) -> None:
    """一次性告知: everything missing is listed at once, so an application is returned once."""
    if application.returned_at is not None:
        raise Conflict(
            _("Everything missing was already listed once (补正); it cannot be asked again."),
            code=AffairsError.ALREADY_RETURNED,
        )


def _described_items(application: Application) -> list[str]:
    """The missing items described in words (not the item's material codes)."""
    codes = set(application.item.materials.values_list("code", flat=True))
    return [m for m in application.missing if m not in codes]


def _check_confirmed(application: Application, actor, confirmed) -> list[str]:
    """Each item described in words is confirmed received by staff of the stage (an upload
    cannot show it); 400 `items_unconfirmed` naming the rest."""
    described = _described_items(application)
    if not described:
        return []
    confirmed = [c.strip() for c in confirmed or [] if isinstance(c, str)]
    if confirmed and not acts_for_stage(actor, application):
        raise forbidden()
    unknown = sorted(set(confirmed) - set(described))
    if unknown:
        raise field_error(
            "confirmed", _("These were not listed as missing: %(items)s") % {"items": ", ".join(unknown)}
        )
    unconfirmed = [m for m in described if m not in confirmed]
    if unconfirmed:
        raise ApplicationError(
            _("Staff confirm receiving each item described in words: %(items)s")
            % {"items": ", ".join(unconfirmed)},
            code=AffairsError.ITEMS_UNCONFIRMED,
            fields={"confirmed": unconfirmed},
        )
    return described


def _check_supplied(application: Application) -> None:
    codes = set(application.item.materials.values_list("code", flat=True))
    awaited = [m for m in application.missing if m in codes]
    absent = sorted(set(awaited) - _supplied_since(application))
    if absent:
        raise ApplicationError(
            _("Some of the requested materials have not been uploaded yet."),
            code=AffairsError.MATERIALS_MISSING,
            fields={f"materials.{code}": [_("Upload this material.")] for code in absent},
        )
