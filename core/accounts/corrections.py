"""A resident's right to access and correct their records (PIPL arts. 45–46): a correction request
becomes an event for their community's workers through the dispatch engine, so it gets a
deadline, escalation, history and notices like any other work.

The request names what is wrong and says what it should be, in words; it must not carry ID or
phone numbers (event details are not encrypted): the worker checks the person's papers and
types the correction into the register, where it is encrypted.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.accounts.errors import AccountsError
from core.accounts.roles import Role
from core.api.errors import ApplicationError, field_error, not_found_in_payload
from core.audit.logging import looks_personal
from core.extensions import EventType, FormField

FIELDS = (
    ("name", gettext_lazy("Name")),
    ("document", gettext_lazy("Identity document")),
    ("phone", gettext_lazy("Phone")),
    ("address", gettext_lazy("Address or residence")),
    ("household", gettext_lazy("Household members")),
    ("tags", gettext_lazy("Tags (e.g. living alone, disability)")),
    ("other", gettext_lazy("Something else")),
)

CORRECTION_REQUEST = EventType(
    key="accounts.correction_request",
    name=gettext_lazy("Correction of a resident's record"),
    domain="management",
    description=gettext_lazy("A resident asks for their record in the register to be corrected."),
    handler_role=Role.COMMUNITY_WORKER,
    sla_working_days=15,
    residents_may_report=True,
    duplicate_window_hours=None,
    form_fields=(
        FormField(
            name="field", label=gettext_lazy("What is wrong"), kind="choice", required=True, choices=FIELDS
        ),
        FormField(name="resident", label=gettext_lazy("Record"), kind="integer", required=True),
    ),
)


def correction_request(*, user, resident_id: int | None, field: str, explanation: str, request=None):
    """Open a correction request for one of the caller's own records (or their household's)."""
    from core.registry.models import Resident
    from core.workflow.services import event_report

    own = Resident.objects.visible_to_resident(_bound_ids(user))
    if resident_id is None and own.count() == 1:
        resident_id = own.get().pk
    resident = own.filter(pk=resident_id).select_related("house").first() if resident_id else None
    if resident is None:
        raise not_found_in_payload("resident")
    if looks_personal(explanation):
        raise field_error(
            "explanation",
            _("Please do not write ID or phone numbers here; a community worker will check them with you."),
        )
    event, _merged = event_report(
        reporter=user,
        type_key=CORRECTION_REQUEST.key,
        source="resident",
        title=_("Correction request"),
        description=explanation,
        form_data={"field": field, "resident": resident.pk},
        house=resident.house,
        grid=None if resident.house_id else resident.region,
        request=request,
    )
    return event


def _bound_ids(user) -> tuple[int, ...]:
    from core.regions.scoping import scope_for

    ids = scope_for(user).resident_ids
    if not ids:
        raise ApplicationError(
            _("Your account is not bound to a resident record."),
            code=AccountsError.NOT_BOUND,
            status_code=400,
        )
    return ids
