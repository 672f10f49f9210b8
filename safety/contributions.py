"""What community safety declares through the extension contract."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    HandoffConsumer,
    NoticeKind,
    PeriodicTask,
    Permission,
    PublicRoute,
    RetentionRule,
    RoleDefinition,
    TimelineProvider,
)
from core.regions.models import Region

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
    PublicRoute(
        key="safety.device_readings",
        url_name="safety-device-readings",
        methods=frozenset({"POST"}),
        # Under ASGI, answered ahead of Django's handler (safety/api/readings.py).
        asgi="safety.api.readings.asgi_readings",
    ),
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

# Care recipients (关爱对象) and key persons (重点人员): two lists, two permissions. Key persons
# are seen only by the community's worker assigned to them and the liaison of the office the
# community assists (司法所 for 社区矫正, whose data is confidential: 社区矫正法 art. 4, 12).
KEY_PERSON_WORKER = "safety.key_person_worker"
KEY_PERSON_LIAISON = "safety.key_person_liaison"
MISSED_VISIT = EventType(
    key="safety.missed_visit",
    name=_("Key person's visit missed"),
    domain="safety",
    handler_role=KEY_PERSON_WORKER,
    sla_working_days=2,
    default_priority="high",
    duplicate_window_hours=None,
    direct_reports=False,
)
CONTRIBUTIONS += [
    RoleDefinition(
        key=KEY_PERSON_WORKER,
        label=_("Community worker for key persons"),
        levels=frozenset({Region.Level.COMMUNITY}),
        staff=True,
        granted_by=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF),
    ),
    RoleDefinition(
        key=KEY_PERSON_LIAISON,
        label=_("Liaison of an office for key persons"),
        levels=frozenset({Region.Level.STREET}),
        staff=True,
        two_factor=True,
        granted_by=(Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    Permission(
        key="safety.care", label=_("Keep the care recipients list"), roles=(Role.GRID_WORKER, *_COMMUNITY)
    ),
    Permission(
        key="safety.key_persons",
        label=_("Keep the key persons list"),
        roles=(KEY_PERSON_WORKER, KEY_PERSON_LIAISON),
    ),
    MISSED_VISIT,
    NoticeKind(key="safety.missed_visit", name=_("Key person's visit missed"), default_channels=("in_app",)),
    PeriodicTask(
        key="safety.check_missed_contacts",
        task="safety.check_missed_contacts",
        schedule=3600.0,
        expires_seconds=3000,
    ),
    AuditAction(key="safety.carerecipient.add", name=_("Care recipient listed")),
    AuditAction(key="safety.carerecipient.read", name=_("Care recipient's detail read")),
    AuditAction(key="safety.carecontact.record", name=_("Care contact recorded")),
    AuditAction(key="safety.keyperson.add", name=_("Key person listed")),
    AuditAction(key="safety.keyperson.read", name=_("Key person's detail read")),
    AuditAction(key="safety.keypersonvisit.record", name=_("Key person visited")),
    # Ended records keep who was followed and when, not what was noted (PIPL art. 19, 47; 社区矫正法
    # art. 4: the correction's information is kept confidential once the correction ends).
    RetentionRule(
        key="safety.ended_key_persons",
        model="safety.KeyPerson",
        starts="ended_on",
        where={"ended_on__isnull": False},
        keep_years=3,
        action="anonymize",
        anonymize={"note": "（已匿名）", "office": "（已匿名）"},
        rule="PIPL art. 19, 47; 社区矫正法 art. 4 (confidential after the correction ends)",
    ),
]

CONTRIBUTIONS += [DemoData(key="safety.demo", loader="safety.demo.seed_safety")]

# The household file and the dashboards.
CONTRIBUTIONS += [
    TimelineProvider(key="safety.timeline", provider="safety.timeline.safety_entries"),
    # Node-own values (safety.statistics), kept in the summary tables and rolled up; part "" is
    # the headline, the others the figures. The alarms' median stays computed node by node.
    DashboardMetric(
        key="safety.open_hazards",
        name=_("Open hazards"),
        name_en="Open hazards",
        unit=_("hazards (unit)"),
        per_node="safety.statistics.open_hazards_per_node",
        sources=("safety.Finding",),
        changes_with_time=True,  # overdue: past the deadline
        compute="safety.statistics.open_hazards",
    ),
    DashboardMetric(
        key="safety.rectified_on_time",
        name=_("Hazards rectified on time"),
        name_en="Hazards rectified on time",
        unit=_("hazards (unit)"),
        per_node="safety.statistics.rectified_on_time_per_node",
        sources=("safety.Finding",),
        compute="safety.statistics.rectified_on_time",
    ),
    DashboardMetric(
        key="safety.alarms",
        name=_("Device alarms in the last 30 days"),
        name_en="Device alarms in the last 30 days",
        unit=_("alarms (unit)"),
        per_node="safety.statistics.alarms_per_node",
        sources=("safety.Alarm",),
        changes_with_time=True,  # the last 30 days move on
        compute="safety.statistics.alarms",
    ),
    DashboardMetric(
        key="safety.alarm_first_response",
        name=_("Minutes from an alarm to its first response (median)"),
        name_en="Minutes from an alarm to its first response (median)",
        unit=_("minutes (unit)"),
        aggregation="histogram",
        buckets=(5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0),
        per_node="safety.statistics.alarm_first_response_per_node",
        # The event's acceptance is the first response: a save of either marks the place.
        sources=("safety.Alarm", "workflow.Event"),
        changes_with_time=True,
        higher_is_better=False,
    ),
    DashboardMetric(
        key="safety.devices_offline",
        name=_("Devices offline"),
        name_en="Devices offline",
        unit=_("devices (unit)"),
        # Flagged and cleared by UPDATEs (safety.offline, safety.alarms), which mark the places.
        per_node="safety.statistics.devices_offline_per_node",
        sources=("safety.Device",),
        compute="safety.statistics.devices_offline",
    ),
    DashboardMetric(
        key="safety.incidents_acknowledged",
        name=_("Incidents acknowledged"),
        name_en="Incident receipts acknowledged",
        unit=_("receipts (unit)"),
        per_node="safety.statistics.incidents_acknowledged_per_node",
        sources=("safety.IncidentReceipt",),
        compute="safety.statistics.incidents_acknowledged",
    ),
    DashboardMetric(
        key="safety.care_contacts_missed",
        name=_("Care contacts missed"),
        name_en="Care contacts missed",
        unit=_("people"),
        # Each is one vulnerable person: small counts identify them (SMALL_CELL_K).
        counts_people=True,
        per_node="safety.statistics.care_contacts_missed_per_node",
        sources=("safety.CareRecipient",),
        changes_with_time=True,  # a contact falls due with the date
        compute="safety.statistics.care_contacts_missed",
    ),
]

# Patrols (巡逻): the community plans routes with check-in points per grid and shifts on them;
# grid workers and the community patrol and check in. "Patrols done against planned" is kept per
# node in the dashboards' summary tables (safety.statistics.patrols_done_per_node).
CONTRIBUTIONS += [
    Permission(
        key="safety.plan_patrols",
        label=_("Plan patrol routes and shifts"),
        roles=(*_COMMUNITY, Role.STREET_STAFF),
    ),
    Permission(key="safety.patrol", label=_("Patrol and check in"), roles=(Role.GRID_WORKER, *_COMMUNITY)),
    AuditAction(key="safety.patrolroute.add", name=_("Patrol route added")),
    AuditAction(key="safety.patrolroute.end", name=_("Patrol route ended")),
    AuditAction(key="safety.patrolshift.plan", name=_("Patrol shift planned")),
    AuditAction(key="safety.patrolshift.check_in", name=_("Patrol check-in")),
    AuditAction(key="safety.patrolshift.complete", name=_("Patrol shift completed")),
    DashboardMetric(
        key="safety.patrols_done",
        name=_("Patrols done against planned"),
        name_en="Patrols done against planned",
        unit="%",
        aggregation="ratio",
        per_node="safety.statistics.patrols_done_per_node",
        sources=("safety.PatrolShift",),
        # A planned shift whose end passes without completion joins the denominator unwritten.
        changes_with_time=True,
        higher_is_better=True,
        decimals=1,
    ),
]

# Extreme-weather patrols (寒冬送温暖、夏季送清凉): people found sleeping rough and the help given;
# a person who cannot be identified is referred for a family search (寻亲), which the community
# files with the civil-affairs rescue station (救助管理站) as an event of its own.
FAMILY_SEARCH = EventType(
    key="safety.family_search",
    name=_("Family search (寻亲)"),
    domain="safety",
    description=_("A person found sleeping rough who cannot be identified, referred for a family search."),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=3,
    default_priority="high",
    duplicate_window_hours=None,
    direct_reports=False,
)
CONTRIBUTIONS += [
    FAMILY_SEARCH,
    AuditAction(key="safety.roughsleeper.record", name=_("Person sleeping rough recorded")),
    # What identifies a person found sleeping rough is kept for the help and the family search,
    # then blanked (PIPL art. 19, 47); the record of help given stays for the statistics.
    RetentionRule(
        key="safety.rough_sleepers",
        model="safety.RoughSleeper",
        starts="found_at",
        keep_years=3,
        action="anonymize",
        anonymize={
            "name_encrypted": "",
            "name_masked": "",
            "document_number_encrypted": "",
            "document_number_index": "",
            "document_number_masked": "",
            "condition": "（已匿名）",
            "help_note": "（已匿名）",
        },
        rule="PIPL art. 19, 47 (kept while the help and the family search need it)",
    ),
]

# Patrols asked by a scenario (the extreme-weather warning's patrol for people sleeping rough)
# through the `patrol_request` hand-off: shifts on the community's routes, or, with none to plan
# on, a task for the community to plan one.
PATROL_REQUEST = EventType(
    key="safety.patrol_request",
    name=_("Patrol requested"),
    domain="safety",
    description=_(
        "A patrol for people sleeping rough asked during a weather warning, with no route to plan it on."
    ),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_hours=12,
    clock="round_the_clock",
    default_priority="high",
    duplicate_window_hours=None,
    direct_reports=False,
)
CONTRIBUTIONS += [
    PATROL_REQUEST,
    HandoffConsumer(
        key="safety.patrol_request", handoff="patrol_request", receiver="safety.patrols.patrol_requested"
    ),
]
