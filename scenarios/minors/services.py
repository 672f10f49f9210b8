"""The four-level network's work: children followed with visits by category, reports routed to the
community's 儿童主任 and escalated level by level, mandatory reports to the police liaison and the
county's civil-affairs department at once, restricted audited reads, and leaving at 18."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.extensions.scenario_api import require_enabled
from core.extensions.scenarios import scenario_enabled_q, scenario_settings_at
from core.notices.services import notify
from core.regions.models import Region
from core.regions.paths import path_at
from core.regions.scoping import scope_for
from core.registry.contributions import ADULT_AGE
from core.registry.minors import is_minor, resident_shown_name
from core.registry.services import contact_reveal
from core.registry.tags import years_before
from core.workflow.models import Event
from core.workflow.services import event_report
from scenarios.minors.contributions import CIVIL_AFFAIRS, POLICE_LIAISON, ROLE_AT_LEVEL
from scenarios.minors.errors import MinorsError
from scenarios.minors.models import ChildRecord, ChildReport

SCENARIO = "minors"
VISIT_DAYS = {
    ChildRecord.Category.UNATTENDED: "visit_days_unattended",
    ChildRecord.Category.ORPHAN: "visit_days_orphan",
    ChildRecord.Category.IN_DIFFICULTY: "visit_days_in_difficulty",
}
MANDATORY = (ChildReport.Kind.ABUSE, ChildReport.Kind.DANGER)
CLOSING_NOTE = "年满18周岁，退出未成年人保护关爱名单"


def child_add(*, actor, resident, category: str, request=None) -> ChildRecord:
    if category not in ChildRecord.Category.values:
        raise field_error("category", _("Not a category."))
    if not scope_for(actor).covers(resident.region_path, "minors.handle"):
        raise Forbidden(_("You may not follow children here."))
    require_enabled(SCENARIO, resident.region_path)
    if not is_minor(resident.birth_date):
        raise field_error("resident", _("Only a minor can be followed."), code=MinorsError.NOT_A_MINOR)
    settings = scenario_settings_at(SCENARIO, resident.region_path)
    with transaction.atomic():
        record = ChildRecord.objects.create(
            resident=resident,
            category=category,
            next_visit_on=timezone.localdate() + timedelta(days=settings[VISIT_DAYS[category]]),
            settings_versions=list(settings.versions),
            region_id=resident.region_id,
            region_path=resident.region_path,
        )
        audit_record(
            actor=actor, action="minors.record.add", target=record, changes=created(category=category)
        )
    return record


def records_read(*, actor, rows, request=None) -> None:
    """Reads of minors' records are audited: who read which, once per response."""
    rows = list(rows)
    if rows:
        audit_record(
            actor=actor,
            action="minors.record.view",
            object_type=rows[0]._meta.label_lower,
            object_ids=[row.pk for row in rows],
            region_path=rows[0].region_path if len(rows) == 1 else "",
            request=request,
        )


def guardian_reveal(
    *, actor, child: ChildRecord, guardian: int, purpose: str, request=None
) -> dict[str, str]:
    """A guardian's full phone, to reach them: through the register's reveal (its purpose, its
    audit row `registry.contact.reveal` naming the child), never a copy kept here. `child` comes
    with its guardians (core.registry.selectors.with_guardians); another's guardian is 400."""
    contact = next((row for row in child.resident.guardians if row.pk == guardian), None)
    if contact is None:
        raise not_found_in_payload("guardian")
    return contact_reveal(actor=actor, contact=contact, purpose=purpose, request=request)


def report_make(*, actor, child: ChildRecord, kind: str, summary: str, request=None) -> ChildReport:
    """A report about a child goes to the community's 儿童主任 (an event on a round-the-clock
    clock); abuse or immediate danger also reaches the police liaison and the county's
    civil-affairs department at once, whatever the level (未成年人保护法 art. 11)."""
    if kind not in ChildReport.Kind.values:
        raise field_error("kind", _("Not a kind of report."))
    if not (summary or "").strip():
        raise field_error("summary", _("Say what happened."))
    require_enabled(SCENARIO, child.region_path)
    settings = scenario_settings_at(SCENARIO, child.region_path)
    now = timezone.now()
    community = Region.objects.get(path=path_at(child.region_path, Region.Level.COMMUNITY))
    with transaction.atomic():
        report = ChildReport.objects.create(
            child=child,
            kind=kind,
            summary=summary.strip()[:500],
            level=Region.Level.COMMUNITY,
            due_at=now + timedelta(hours=settings["take_up_hours"]),
            settings_versions=list(settings.versions),
            region_id=child.region_id,
            region_path=child.region_path,
        )
        # The event's report is the one audit row of this write.
        report.event, _merged = event_report(
            reporter=actor,
            type_key="minors.report",
            source=Event.Source.SCENARIO,
            title=_("Report about a child: %(kind)s") % {"kind": ChildReport.Kind(kind).label},
            community=community,
            deadline=report.due_at,
            external_ref=f"minors:report:{report.pk}",
            request=request,
        )
        report.save(update_fields=["event"])
        if kind in MANDATORY:
            county = Region.objects.get(path=path_at(child.region_path, Region.Level.DISTRICT))
            title = _("Mandatory report: a minor (%(kind)s) in %(place)s") % {
                "kind": ChildReport.Kind(kind).label,
                "place": community.name,
            }
            for role in (POLICE_LIAISON, CIVIL_AFFAIRS):
                notify(kind="minors.mandatory_report", title=title, region=county, role=role, link=report)
    return report


def report_take(*, actor, report: ChildReport, request=None) -> ChildReport:
    with transaction.atomic():
        report = ChildReport.objects.select_for_update().get(pk=report.pk)
        if report.taken_at is not None:
            raise Conflict(_("This report is taken up already."), code=MinorsError.TAKEN)
        report.taken_at = timezone.now()
        report.save(update_fields=["taken_at", "updated_at"])
        audit_record(
            actor=actor,
            action="minors.report.take",
            target=report,
            changes={"taken_at": {"old": None, "new": report.taken_at.isoformat()}},
            request=request,
        )
    return report


def escalate_reports(now=None) -> int:
    """A report not taken up in time goes up one level (儿童主任 → 儿童督导员 → county → city),
    whose responsible role is told."""
    now = now or timezone.now()
    moved = 0
    with transaction.atomic():
        due = (
            ChildReport.objects.select_for_update(skip_locked=True)
            .filter(
                scenario_enabled_q(SCENARIO),
                taken_at__isnull=True,
                due_at__lte=now,
                level__gt=Region.Level.CITY,
            )
            .order_by("due_at")[:200]
        )
        for report in due:
            settings = scenario_settings_at(SCENARIO, report.region_path)
            report.level -= 1
            report.due_at = now + timedelta(hours=settings["take_up_hours"])
            report.save(update_fields=["level", "due_at", "updated_at"])
            node = Region.objects.get(path=path_at(report.region_path, report.level))
            notify(
                kind="minors.escalated",
                title=_("A report about a minor was not taken up in time"),
                region=node,
                role=ROLE_AT_LEVEL[report.level],
                link=report,
            )
            audit_record(
                actor=None, action="minors.report.escalate", target=report, extra={"level": report.level}
            )
            moved += 1
    return moved


def close_adults(today=None) -> int:
    """Children who turned 18 leave the scenario with a closing note (one statement, one audit row)."""
    today = today or timezone.localdate()
    adults = ChildRecord.objects.filter(
        state=ChildRecord.State.ACTIVE, resident__birth_date__lte=years_before(today, ADULT_AGE)
    )
    with transaction.atomic():
        ids = list(adults.values_list("pk", flat=True))
        if not ids:
            return 0
        ChildRecord.objects.filter(pk__in=ids).update(
            state=ChildRecord.State.CLOSED,
            closed_on=today,
            closing_note=CLOSING_NOTE,
            updated_at=timezone.now(),
        )
        audit_record(
            actor=None, action="minors.record.close_adults", object_type="minors.childrecord", object_ids=ids
        )
    return len(ids)


def open_due_visits(today=None) -> int:
    """A visit event for each followed child whose visit is due, where the scenario is enabled;
    the next visit moves on by the category's interval."""
    today = today or timezone.localdate()
    opened = 0
    with transaction.atomic():
        due = (
            ChildRecord.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(scenario_enabled_q(SCENARIO), state=ChildRecord.State.ACTIVE, next_visit_on__lte=today)
            .select_related("resident", "region")[:500]
        )
        for record in due:
            settings = scenario_settings_at(SCENARIO, record.region_path)
            grid = record.region if record.region.level == Region.Level.GRID else None
            event_report(
                reporter=None,
                type_key="minors.visit",
                source=Event.Source.SCENARIO,
                title=_("Visit %(name)s") % {"name": resident_shown_name(record.resident)},
                grid=grid,
                community=None if grid else record.region,
                external_ref=f"minors:visit:{record.pk}:{record.next_visit_on.isoformat()}",
            )
            record.next_visit_on = today + timedelta(days=settings[VISIT_DAYS[record.category]])
            record.save(update_fields=["next_visit_on", "updated_at"])
            opened += 1
        if opened:
            audit_record(actor=None, action="minors.visit.open", extra={"opened": opened})
    return opened
