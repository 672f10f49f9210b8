"""A weather warning for a region: care-visit tasks for the vulnerable residents there (by tags),
a patrol for rough sleepers in each community, completion tracked until the warning ends, and a
report of who was not reached."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error
from core.audit.services import audit_record, created
from core.extensions import handoffs
from core.extensions.scenario_api import require_enabled
from core.extensions.scenarios import scenario_enabled_q, scenario_settings_at
from core.regions.models import Region
from core.regions.scoping import scope_for, under
from core.registry.minors import resident_shown_name
from core.registry.models import Resident, ResidentTag
from core.workflow.models import Event
from core.workflow.services import event_report, event_step
from core.workflow.states import State
from scenarios.extreme_weather.errors import WeatherError
from scenarios.extreme_weather.models import LEVELS, CareVisit, WeatherWarning

SCENARIO = "extreme_weather"
# The safety domain's patrol kind for a warning's patrol for people sleeping rough (寒冬送温暖、
# 夏季送清凉); a rainstorm's patrol stays the scenario's own task.
PATROL_KINDS = {WeatherWarning.Kind.COLD: "winter_warmth", WeatherWarning.Kind.HEAT: "summer_cooling"}
ISSUE = "extreme_weather.issue"


def warning_issue(
    *,
    actor,
    region: Region,
    kind: str,
    level: str,
    valid_until,
    valid_from=None,
    source: str = "staff",
    reference: str = "",
    request=None,
) -> WeatherWarning:
    """Record a warning and, from its level up, open the visits and patrols where the scenario
    is enabled in its region. A feed's warning sent twice (same reference) is recorded once."""
    if source == "staff" and not scope_for(actor).covers(region.path, ISSUE):
        raise Forbidden(_("You may not issue warnings for this region."))
    if kind not in WeatherWarning.Kind.values:
        raise field_error("kind", _("Not a kind of warning."), code=WeatherError.BAD_WARNING)
    if level not in LEVELS:
        raise field_error("level", _("Not a warning level."), code=WeatherError.BAD_WARNING)
    now = timezone.now()
    valid_from = valid_from or now
    if valid_until <= valid_from:
        raise field_error("valid_until", _("A warning ends after it starts."), code=WeatherError.BAD_WARNING)
    if reference:
        known = WeatherWarning.objects.filter(reference=reference).first()
        if known is not None:
            return known
    settings = scenario_settings_at(SCENARIO, region.path)
    with transaction.atomic():
        try:
            with transaction.atomic():
                warning = WeatherWarning.objects.create(
                    kind=kind,
                    level=level,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    source=source,
                    reference=reference,
                    settings_versions=list(settings.versions),
                    region=region,
                    region_path=region.path,
                )
        except IntegrityError:
            return WeatherWarning.objects.get(reference=reference)
        opened = 0
        if LEVELS.index(level) >= LEVELS.index(settings["lowest_level"]):
            opened = _open_visits(warning, settings, now)
        audit_record(
            actor=actor,
            action="extreme_weather.warning.issue",
            target=warning,
            changes=created(kind=kind, level=level, valid_until=valid_until.isoformat()),
            extra={"visits": opened, "source": source},
            request=request,
        )
    return warning


def vulnerable_residents(warning: WeatherWarning, tags: list[str]):
    """Living residents of the warning's region, where the scenario is enabled, holding a care tag."""
    today = timezone.localdate()
    current = ResidentTag.objects.filter(resident=OuterRef("pk"), tag__in=tags).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    return (
        Resident.objects.filter(under((warning.region_path,)), scenario_enabled_q(SCENARIO), status="active")
        .filter(Exists(current))
        .select_related("house", "region")
        .order_by("region_path", "id")
    )


def _open_visits(warning: WeatherWarning, settings, now) -> int:
    tags = [tag.strip() for tag in settings["care_tags"].split(",") if tag.strip()]
    due = now + timedelta(hours=settings["visit_hours"])
    kind = WeatherWarning.Kind(warning.kind).label
    tag_rows = ResidentTag.objects.filter(tag__in=tags, resident__in=vulnerable_residents(warning, tags))
    tags_of: dict[int, list[str]] = {}
    for resident_id, tag in tag_rows.values_list("resident_id", "tag"):
        tags_of.setdefault(resident_id, []).append(tag)
    count = 0
    for resident in vulnerable_residents(warning, tags):
        event, _merged = event_report(
            reporter=None,
            type_key="extreme_weather.care_visit",
            source=Event.Source.SCENARIO,
            title=_("%(kind)s warning: visit %(name)s")
            % {"kind": kind, "name": resident_shown_name(resident)},
            house=resident.house if resident.house_id else None,
            grid=None if resident.house_id else resident.region,
            deadline=min(due, warning.valid_until),
            external_ref=f"extreme_weather:{warning.pk}:{resident.pk}",
        )
        CareVisit.objects.create(
            warning=warning,
            resident=resident,
            tags=",".join(sorted(tags_of.get(resident.pk, [])))[:200],
            event=event,
            region=resident.region,
            region_path=resident.region_path,
        )
        count += 1
    communities = Region.objects.filter(
        under((warning.region_path,), "path"),
        scenario_enabled_q(SCENARIO, "path"),
        level=Region.Level.COMMUNITY,
    )
    patrol_kind = PATROL_KINDS.get(warning.kind)
    for community in communities:
        ends_at = min(due, warning.valid_until)
        reference = f"extreme_weather:{warning.pk}:patrol:{community.pk}"
        event = None
        if patrol_kind is None or not _patrol_handed_over(warning, community, patrol_kind, now, ends_at):
            event, _merged = event_report(
                reporter=None,
                type_key="extreme_weather.patrol",
                source=Event.Source.SCENARIO,
                title=_("%(kind)s warning: patrol for people sleeping rough") % {"kind": kind},
                community=community,
                deadline=ends_at,
                external_ref=reference,
            )
        CareVisit.objects.create(
            warning=warning,
            kind=CareVisit.Kind.PATROL,
            event=event,
            region=community,
            region_path=community.path,
        )
    return count


def _patrol_handed_over(warning: WeatherWarning, community: Region, kind: str, now, ends_at) -> bool:
    """Ask the safety domain's patrols for the community's patrol (the `patrol_request` hand-off);
    False when no installed app takes it (then the scenario opens its own patrol task)."""
    starts_at = max(now, warning.valid_from)
    if ends_at <= starts_at:
        return False
    try:
        handoffs.send(
            handoffs.PATROL_REQUEST,
            handoffs.PatrolRequest(
                region_path=community.path,
                kind=kind,
                starts_at=starts_at,
                ends_at=ends_at,
                source=f"extreme_weather.warning:{warning.pk}",
            ),
            idempotency_key=f"extreme_weather:{warning.pk}:patrol:{community.pk}",
        )
    except handoffs.NoConsumer:
        return False
    return True


def visit_reach(*, actor, visit: CareVisit, note: str = "", request=None) -> CareVisit:
    """The resident was reached (or the patrol done); its task closes."""
    require_enabled(SCENARIO, visit.region_path)
    with transaction.atomic():
        visit = CareVisit.objects.select_for_update(of=("self",)).select_related("event").get(pk=visit.pk)
        if visit.reached_at is not None:
            raise Conflict(_("Already reached."), code=WeatherError.WARNING_ENDED)
        visit.reached_at = timezone.now()
        visit.note = (note or "")[:200]
        visit.save(update_fields=["reached_at", "note", "updated_at"])
        if visit.event is not None and visit.event.state not in (State.CLOSED, State.RESOLVED):
            event_step(
                event=visit.event,
                action="extreme_weather.reach",
                actor=actor,
                to_state=State.CLOSED,
                note=note,
            )
        audit_record(
            actor=actor,
            action="extreme_weather.visit.reach",
            target=visit,
            changes={"reached_at": {"old": None, "new": visit.reached_at.isoformat()}},
            request=request,
        )
    return visit


def warning_end(*, actor, warning: WeatherWarning, request=None) -> WeatherWarning:
    with transaction.atomic():
        warning = WeatherWarning.objects.select_for_update().get(pk=warning.pk)
        if warning.state == WeatherWarning.State.ENDED:
            raise Conflict(_("The warning has ended already."), code=WeatherError.WARNING_ENDED)
        warning.state, warning.ended_at = WeatherWarning.State.ENDED, timezone.now()
        warning.save(update_fields=["state", "ended_at", "updated_at"])
        audit_record(
            actor=actor,
            action="extreme_weather.warning.end",
            target=warning,
            changes={"state": {"old": "active", "new": "ended"}},
            request=request,
        )
    return warning


def end_expired(now=None) -> int:
    """Warnings past their validity end (periodic)."""
    now = now or timezone.now()
    ended = 0
    for warning in WeatherWarning.objects.filter(state=WeatherWarning.State.ACTIVE, valid_until__lte=now):
        warning_end(actor=None, warning=warning)
        ended += 1
    return ended


def warning_report(warning: WeatherWarning, visits) -> dict:
    """How many were to be reached, how many were, and who was not (live while it runs)."""
    rows = list(visits.filter(warning=warning, kind=CareVisit.Kind.VISIT).select_related("resident"))
    missed = [row for row in rows if row.reached_at is None]
    return {
        "warning": warning.pk,
        "state": warning.state,
        "visits": len(rows),
        "reached": len(rows) - len(missed),
        "not_reached": [
            {
                "visit": row.pk,
                "resident": row.resident_id,
                "name": resident_shown_name(row.resident),
                "tags": row.tags,
            }
            for row in missed
        ],
    }
