"""What community services declares through the extension contract: its permissions and the
provider-staff role, the event types of its retrofits and residents' requests, the hours-ledger
hand-off consumer, its audit actions, timeline, statistics and demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DashboardMetric,
    DemoData,
    EventType,
    HandoffConsumer,
    Permission,
    RetentionRule,
    RoleDefinition,
    TimelineProvider,
)
from core.regions.models import Region

VIEW = "services.view"
MANAGE = "services.manage"
CONFIGURE = "services.configure"
VIEW_OWN = "services.view_own"
VIEW_MINORS = "services.view_minor_cases"
SERVE = "services.serve"
PROVIDER_STAFF = "services.provider_staff"

# A provider's worker, held at each community the provider serves: sees only the provider's
# orders there and records the visits (services.serve).
PROVIDER_STAFF_ROLE = RoleDefinition(
    key=PROVIDER_STAFF,
    label=_("Home-service provider staff"),
    levels=frozenset({Region.Level.COMMUNITY}),
    staff=True,
    granted_by=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF),
)

# Each stage of a retrofit is a step of its event, with a deadline of its own.
RETROFIT = EventType(
    key="services.retrofit",
    name=_("Aging adaptation"),
    domain="services",
    description=_("A home's aging adaptation: assessment, plan, works, acceptance, subsidy."),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=10,
    duplicate_window_hours=None,
    direct_reports=False,
    generic_actions=frozenset(),
)
SERVICE_REQUEST = EventType(
    key="services.request",
    name=_("Request for a community service"),
    domain="services",
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=5,
    duplicate_window_hours=None,
    direct_reports=False,
)
RETROFIT_STEPS = {
    "assess": _("Home assessed"),
    "plan": _("Retrofit plan made"),
    "works": _("Retrofit works done"),
    "accept": _("Retrofit accepted"),
    "subsidize": _("Retrofit subsidized"),
    "cancel": _("Retrofit cancelled"),
}

AUDIT_ACTIONS = [
    *(AuditAction(key=f"{RETROFIT.key}.{step}", name=name) for step, name in RETROFIT_STEPS.items()),
    AuditAction(key="services.resubsidy_rule.create", name=_("Re-subsidy rule set")),
    AuditAction(key="services.volunteer.create", name=_("Volunteer registered")),
    AuditAction(key="services.team.create", name=_("Volunteer team created")),
    AuditAction(key="services.project.create", name=_("Service project filed")),
    AuditAction(key="services.signup.create", name=_("Signed up for a service project")),
    AuditAction(key="services.signup.check_in", name=_("Volunteer checked in")),
    AuditAction(key="services.signup.check_out", name=_("Volunteer checked out")),
    AuditAction(key="services.hours.record", name=_("Volunteer hours recorded")),
    AuditAction(key="services.certificate.print", name=_("Certificate of volunteer hours printed")),
    AuditAction(key="services.time_bank.open", name=_("Time bank opened")),
    AuditAction(key="services.time_bank.draw", name=_("Hours drawn from a time bank")),
    AuditAction(key="services.meal_point.create", name=_("Meal point added")),
    AuditAction(key="services.meal_rule.create", name=_("Meal subsidy rule set")),
    AuditAction(key="services.meal_rule.end", name=_("Meal subsidy rule ended")),
    AuditAction(key="services.meal.record", name=_("Meal recorded")),
    AuditAction(key="services.settlement.close", name=_("Meal settlement closed")),
    AuditAction(key="services.settlement.correct", name=_("Meal settlement corrected")),
    AuditAction(key="services.room.create", name=_("Room added")),
    AuditAction(key="services.booking.create", name=_("Room booked")),
    AuditAction(key="services.booking.cancel", name=_("Room booking cancelled")),
    AuditAction(key="services.activity.create", name=_("Activity created")),
    AuditAction(key="services.activity.signup", name=_("Signed up for an activity")),
    AuditAction(key="services.order.create", name=_("Home-service order placed")),
    AuditAction(key="services.visit.check_in", name=_("Home visit started")),
    AuditAction(key="services.visit.check_out", name=_("Home visit ended")),
    AuditAction(key="services.visit.rate", name=_("Home visit rated")),
    AuditAction(key="services.station.create", name=_("Social-work station set up")),
    AuditAction(key="services.station.worker", name=_("Social worker joined a station")),
    AuditAction(key="services.case.open", name=_("Social-work case opened")),
    AuditAction(key="services.case.entry", name=_("Social-work case entry written")),
]

_STAFF = (
    Role.GRID_WORKER,
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
)
_HANDLING = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF)

CONTRIBUTIONS = [
    *AUDIT_ACTIONS,
    PROVIDER_STAFF_ROLE,
    RETROFIT,
    SERVICE_REQUEST,
    Permission(key=VIEW, label=_("View community services"), roles=_STAFF),
    Permission(key=MANAGE, label=_("Run community services"), roles=_HANDLING),
    Permission(
        key=CONFIGURE,
        label=_("Set the subsidy rules and catalogues of community services"),
        roles=(Role.DISTRICT_STAFF,),
    ),
    Permission(
        key=VIEW_OWN, label=_("Use the service directory and see one's own requests"), roles=(Role.RESIDENT,)
    ),
    # Cases involving minors (未成年人保护法 art. 72: minors' personal information is handled by
    # those who need it): the community's secretary and the offices above, not every worker.
    Permission(
        key=VIEW_MINORS,
        label=_("See social-work cases involving minors"),
        roles=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    Permission(key=SERVE, label=_("Serve the provider's home-service orders"), roles=(PROVIDER_STAFF,)),
    # The one hours ledger: other domains' volunteer hours (party members' pioneer service …).
    HandoffConsumer(
        key="services.hours_ledger",
        handoff="service_hours",
        receiver="services.volunteers.record_handed_hours",
    ),
    TimelineProvider(key="services.timeline", provider="services.timeline.services_entries"),
    # What the dashboards show of community services: node-own values (services.statistics), kept
    # in the summary tables and rolled up; part "" is the headline, the others the figures.
    DashboardMetric(
        key="services.meals",
        name=_("Meals served and subsidy by provider and month"),
        name_en="Meals served in the last 12 months",
        unit=_("meals (unit)"),
        per_node="services.statistics.meals_per_node",
        sources=("services.MealRecord",),
        changes_with_time=True,  # the last 12 months move on
        compute="services.statistics.meals",
    ),
    DashboardMetric(
        key="services.visits",
        name=_("Home visits done and ratings"),
        name_en="Home visits done",
        unit=_("visits (unit)"),
        per_node="services.statistics.visits_per_node",
        sources=("services.Visit:order.region_path",),
        compute="services.statistics.visits",
    ),
    DashboardMetric(
        key="services.retrofits",
        name=_("Aging adaptations by stage and overdue"),
        name_en="Aging adaptations open",
        unit=_("retrofits (unit)"),
        per_node="services.statistics.retrofits_per_node",
        sources=("services.Retrofit", "workflow.Event"),
        changes_with_time=True,  # overdue: past the event's deadline
        compute="services.statistics.retrofits",
    ),
    DashboardMetric(
        key="services.volunteer_hours",
        name=_("Volunteer hours by region and source"),
        name_en="Volunteer hours",
        unit=_("hours"),
        per_node="services.statistics.volunteer_hours_per_node",
        sources=("services.HoursEntry",),
        decimals=1,
        compute="services.statistics.volunteer_hours",
    ),
    DashboardMetric(
        key="services.bookings",
        name=_("Bookings and activity turnout"),
        name_en="Bookings",
        unit=_("bookings (unit)"),
        per_node="services.statistics.bookings_per_node",
        sources=("services.Booking", "services.ActivitySignup:activity.region_path"),
        compute="services.statistics.bookings",
    ),
    DashboardMetric(
        key="services.open_cases",
        name=_("Open social-work cases"),
        name_en="Open social-work cases",
        unit=_("cases (unit)"),
        # Each is one vulnerable person: small counts identify them (SMALL_CELL_K).
        counts_people=True,
        per_node="services.statistics.open_cases_per_node",
        sources=("services.SocialCase",),
        compute="services.statistics.open_cases",
    ),
    DemoData(key="services.demo", loader="services.demo.seed_services"),
    # PIPL art. 19, 47: a volunteer who is not in the register is known by a name and mobile of
    # their own, kept 3 years after they stop volunteering (the hours ledger keeps the record).
    RetentionRule(
        key="services.inactive_volunteers",
        model="services.Volunteer",
        starts="updated_at",
        where={"active": False, "resident__isnull": True},
        keep_years=3,
        action="anonymize",
        anonymize={"name_encrypted": "", "mobile_encrypted": ""},
        rule="PIPL art. 19, 47",
    ),
]
