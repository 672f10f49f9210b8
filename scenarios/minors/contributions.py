from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import (
    AuditAction,
    DemoData,
    EventType,
    NoticeKind,
    PeriodicTask,
    Permission,
    RoleDefinition,
)
from core.regions.models import Region

Level = Region.Level
DIRECTOR = "minors.child_director"  # 儿童主任, village or community
SUPERVISOR = "minors.child_supervisor"  # 儿童督导员, town or street
COUNTY_CENTRE = "minors.county_centre"  # 县级未成年人保护中心
CITY_CENTRE = "minors.city_centre"  # 市级未成年人保护中心
POLICE_LIAISON = "minors.police_liaison"  # 公安联络员
CIVIL_AFFAIRS = "minors.county_civil_affairs"  # 县级民政部门
# The responsible role at each level: a report not taken up goes up one level.
ROLE_AT_LEVEL = {
    Level.COMMUNITY: DIRECTOR,
    Level.STREET: SUPERVISOR,
    Level.DISTRICT: COUNTY_CENTRE,
    Level.CITY: CITY_CENTRE,
}
NETWORK = (DIRECTOR, SUPERVISOR, COUNTY_CENTRE, CITY_CENTRE)
GRANTORS = (Role.STREET_STAFF, Role.DISTRICT_STAFF)


def _role(key, label, level):
    return RoleDefinition(key=key, label=label, levels=frozenset({level}), staff=True, granted_by=GRANTORS)


CONTRIBUTIONS = [
    _role(DIRECTOR, _("Children's director (儿童主任)"), Level.COMMUNITY),
    _role(SUPERVISOR, _("Children's supervisor (儿童督导员)"), Level.STREET),
    _role(COUNTY_CENTRE, _("County minor-protection centre"), Level.DISTRICT),
    _role(CITY_CENTRE, _("City minor-protection centre"), Level.CITY),
    _role(POLICE_LIAISON, _("Police liaison for minors"), Level.DISTRICT),
    _role(CIVIL_AFFAIRS, _("County civil-affairs department (minors)"), Level.DISTRICT),
    # Minors' records are restricted to the network's roles (未成年人保护法 art. 4, 72).
    Permission(key="minors.view", label=_("See minors' records (restricted, audited)"), roles=NETWORK),
    Permission(key="minors.handle", label=_("Follow children and take up reports"), roles=NETWORK),
    # A guardian's full phone, to reach them: the register's reveal, with a purpose, audited.
    Permission(
        key="minors.reveal", label=_("Reveal a child's guardian's phone, with a purpose"), roles=NETWORK
    ),
    # Anyone who works with children must report (art. 11): every staff role may report.
    Permission(
        key="minors.report",
        label=_("Report a child at risk"),
        roles=(
            Role.GRID_WORKER,
            Role.COMMUNITY_WORKER,
            Role.COMMUNITY_SECRETARY,
            Role.STREET_STAFF,
            *NETWORK,
        ),
    ),
    EventType(
        key="minors.report",
        name=_("Report about a child"),
        domain="affairs",
        handler_role=DIRECTOR,
        sla_working_hours=24,
        clock="round_the_clock",
        default_priority="urgent",
        direct_reports=False,
        duplicate_window_hours=None,
    ),
    EventType(
        key="minors.visit",
        name=_("Visit a child the network follows"),
        domain="affairs",
        handler_role=DIRECTOR,
        sla_working_days=5,
        direct_reports=False,
        duplicate_window_hours=None,
    ),
    NoticeKind(
        key="minors.mandatory_report",
        name=_("Mandatory report about a minor"),
        default_channels=("in_app", "sms"),
    ),
    NoticeKind(key="minors.escalated", name=_("Report about a minor not taken up")),
    PeriodicTask(key="minors.escalate", task="minors.escalate", schedule=300.0, expires_seconds=240),
    PeriodicTask(
        key="minors.daily", task="minors.daily", schedule=crontab(hour=4, minute=41), expires_seconds=6 * 3600
    ),
    AuditAction(key="minors.record.add", name=_("Child added to the protection network")),
    AuditAction(key="minors.record.view", name=_("Minors' records read")),
    AuditAction(key="minors.record.close_adults", name=_("Children who turned 18 left the network")),
    AuditAction(key="minors.report.make", name=_("Report about a child made")),
    AuditAction(key="minors.report.take", name=_("Report about a child taken up")),
    AuditAction(key="minors.report.escalate", name=_("Report about a child escalated")),
    AuditAction(key="minors.visit.open", name=_("Visits to children opened")),
    DemoData(key="minors.demo", loader="scenarios.minors.demo.seed_minors"),
]
