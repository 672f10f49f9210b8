"""What community safety declares through the extension contract."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    EventType,
    HandoffConsumer,
    NoticeKind,
    PeriodicTask,
    Permission,
    PublicRoute,
)

_COMMUNITY = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
_OFFICES = (Role.STREET_STAFF, Role.DISTRICT_STAFF)
_STAFF = (Role.GRID_WORKER, *_COMMUNITY, *_OFFICES)

# An alarm (smoke, gas …) and a care signal safety handles itself: high priority, a clock that
# runs day and night and escalates to the on-duty roster (core/workflow/roster.py).
ALARM = EventType(
    key="safety.alarm",
    name=_("Device alarm"),
    domain="safety",
    description=_("A smoke, gas or other device alarm in a house."),
    handler_role=Role.GRID_WORKER,
    sla_working_hours=1,
    clock="round_the_clock",
    default_priority="high",
    duplicate_window_hours=None,  # repeated alarms are coalesced per device by safety itself
    direct_reports=False,
)
CARE_SIGNAL = EventType(
    key="safety.care_signal",
    name=_("Elderly person may need help"),
    domain="safety",
    description=_("An emergency button, no water, no door opening, a silent device or a missed contact."),
    handler_role=Role.GRID_WORKER,
    sla_working_hours=1,
    clock="round_the_clock",
    default_priority="high",
    duplicate_window_hours=None,
    direct_reports=False,
)

CONTRIBUTIONS = [
    ALARM,
    CARE_SIGNAL,
    NoticeKind(key="safety.alarm", name=_("Safety alarm"), default_channels=("in_app", "sms")),
    Permission(key="safety.view", label=_("View community safety"), roles=_STAFF),
    Permission(
        key="safety.manage_devices",
        label=_("Register and move safety devices"),
        roles=(*_COMMUNITY, Role.STREET_STAFF),
    ),
    # Devices post signed readings: no account, an HMAC signature with the device's own secret.
    PublicRoute(key="safety.device_readings", url_name="safety-device-readings", methods=frozenset({"POST"})),
    HandoffConsumer(
        key="safety.care_signal_fallback",
        handoff="care_signal",
        receiver="safety.alarms.care_signal_received",
    ),
    PeriodicTask(
        key="safety.mark_offline_devices",
        task="safety.mark_offline_devices",
        schedule=300.0,
        expires_seconds=240,
    ),
    AuditAction(key="safety.device.register", name=_("Safety device registered")),
    AuditAction(key="safety.device.move", name=_("Safety device moved")),
    AuditAction(key="safety.device.retire", name=_("Safety device retired")),
    AuditAction(key="safety.device.offline", name=_("Safety devices flagged offline")),
]


# Hazard inspections (隐患排查): checklists are data, edited by the district; grid workers and the
# community inspect; each finding is a rectification event with a deadline by severity, closed or
# reopened by the re-inspection (the domain's own steps, audited under the event type).
RECTIFICATION = EventType(
    key="safety.rectification",
    name=_("Hazard rectification"),
    domain="safety",
    description=_("A hazard found in an inspection, to rectify by its deadline."),
    handler_role=Role.GRID_WORKER,
    sla_working_days=15,  # only a fallback: each finding brings its deadline by severity
    duplicate_window_hours=None,
    direct_reports=False,
    generic_actions=frozenset({"accept", "assign", "take_over", "start", "wait", "resume", "resolve"}),
)
CONTRIBUTIONS += [
    RECTIFICATION,
    Permission(key="safety.inspect", label=_("Inspect for hazards"), roles=(Role.GRID_WORKER, *_COMMUNITY)),
    Permission(
        key="safety.configure", label=_("Edit safety checklists and plans"), roles=(Role.DISTRICT_STAFF,)
    ),
    AuditAction(key="safety.checklist.add", name=_("Checklist item added")),
    AuditAction(key="safety.checklist.end", name=_("Checklist item ended")),
    AuditAction(key="safety.round.open", name=_("Inspection round opened")),
    AuditAction(key="safety.rectification.reinspect_pass", name=_("Re-inspection: rectified")),
    AuditAction(key="safety.rectification.reinspect_fail", name=_("Re-inspection: not rectified")),
]

# Emergency (应急): plans and drills kept by the community; an incident broadcast by the
# community's secretary or the street reaches every holder of the chosen roles below the node,
# who acknowledge it; whoever has not after the set time is reminded once.
CONTRIBUTIONS += [
    Permission(key="safety.plan", label=_("Keep emergency plans and drills"), roles=(*_COMMUNITY, *_OFFICES)),
    Permission(
        key="safety.broadcast",
        label=_("Broadcast an incident"),
        roles=(Role.COMMUNITY_SECRETARY, *_OFFICES),
    ),
    NoticeKind(key="safety.incident", name=_("Incident"), default_channels=("in_app", "sms")),
    NoticeKind(
        key="safety.incident_reminder",
        name=_("Incident not yet acknowledged"),
        default_channels=("in_app", "sms"),
    ),
    PeriodicTask(
        key="safety.remind_incidents", task="safety.remind_incidents", schedule=60.0, expires_seconds=50
    ),
    AuditAction(key="safety.plan.add", name=_("Emergency plan added")),
    AuditAction(key="safety.drill.record", name=_("Emergency drill recorded")),
    AuditAction(key="safety.incident.broadcast", name=_("Incident broadcast")),
    AuditAction(key="safety.incident.acknowledge", name=_("Incident acknowledged")),
    AuditAction(key="safety.incident.remind", name=_("Incident reminders sent")),
]
