"""Open work a person leaves behind when a role ends, listed so that it is reassigned, not lost.

Providers are plain functions `(assignment) -> iterable of OpenWorkItem`, declared through the
extension contract (`core.extensions.OpenWorkProvider` in an app's contributions.py). The
register's are here; the dispatch engine declares its own for open events.

The list is computed from live data whenever asked (at the end of the role and at any time
after through the API), so it stays until the work itself is reassigned or done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.accounts.roles import Role
from core.pii.masking import mask_free_text


@dataclass(frozen=True)
class OpenWorkItem:
    kind: str  # a stable code, e.g. "registry.transfer"
    object_id: str
    region_path: str
    description: str

    def as_dict(self) -> dict:
        """As the API shows it: the description (often an event's title) with personal data masked."""
        return {**asdict(self), "description": mask_free_text(self.description)}


def open_work_for(assignment) -> list[OpenWorkItem]:
    from core.extensions import OpenWorkProvider
    from core.extensions.registry import registry

    items: list[OpenWorkItem] = []
    for declared in sorted(registry.items(OpenWorkProvider.kind), key=lambda p: p.key):
        items.extend(import_string(declared.provider)(assignment))
    return items


def open_transfers(assignment) -> Iterable[OpenWorkItem]:
    """Transfers this person requested inside the role's subtree that nobody has decided yet."""
    from core.registry.models import Transfer

    transfers = Transfer.objects.filter(
        requested_by_id=assignment.user_id,
        status=Transfer.Status.REQUESTED,
        from_path__startswith=assignment.region_path,
    ).order_by("id")
    for transfer in transfers:
        yield OpenWorkItem(
            kind="registry.transfer",
            object_id=str(transfer.pk),
            region_path=transfer.from_path,
            description=_("Transfer of resident #%(resident)s awaiting a decision")
            % {"resident": transfer.resident_id},
        )


def grids_left_without_lead(assignment) -> Iterable[OpenWorkItem]:
    """The grid this lead grid worker leaves, when no other current lead remains there."""
    from core.accounts.models import RoleAssignment

    if assignment.role != Role.GRID_WORKER or not assignment.is_lead:
        return
    others = (
        RoleAssignment.objects.current()
        .filter(region_id=assignment.region_id, role=Role.GRID_WORKER, is_lead=True)
        .exclude(pk=assignment.pk)
    )
    if not others.exists():
        yield OpenWorkItem(
            kind="registry.grid_lead",
            object_id=str(assignment.region_id),
            region_path=assignment.region_path,
            description=_("Grid %(grid)s has no lead grid worker") % {"grid": assignment.region.name},
        )
