from core.accounts.roles import Role
from core.extensions import AuditAction, EventType, Permission, PublicRoute, RoleDefinition
from core.regions.models import Region

PATROLLER = "sample_domain.patroller"
VIEW = "sample_domain.view"
LAMP_OUT = "sample_domain.lamp_out"

CONTRIBUTIONS = [
    RoleDefinition(
        key=PATROLLER,
        label="Lamp patroller",
        levels=frozenset({Region.Level.GRID}),
        staff=True,
        granted_by=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF),
    ),
    Permission(key=VIEW, label="View street lamps", roles=(PATROLLER, Role.COMMUNITY_WORKER)),
    EventType(
        key=LAMP_OUT,
        name="Street lamp out",
        domain="sample_domain",
        sla_working_hours=8,
        handler_role=PATROLLER,
        handler_finder="tests.sample_domain.services.patroller_of",
        direct_reports=False,
    ),
    # A lamp's own controller reports it is out; it signs nothing here (a real device post
    # checks a signature before reading anything, as the 12345 push does).
    PublicRoute(key="sample_domain.beacon", url_name="sample-domain-beacon", methods=frozenset({"POST"})),
    AuditAction(key="sample_domain.lamp.fixed", name="Street lamp fixed"),
]
