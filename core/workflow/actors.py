"""How a user stands to an event: its assignee, reporter, a handler of its place, a supervisor."""

from __future__ import annotations

from core.accounts.roles import staff_roles
from core.regions.paths import is_under, under_any
from core.regions.scoping import scope_for
from core.workflow.states import Actor


def staff_paths(user) -> list[str]:
    scope, staff = scope_for(user), staff_roles()
    return [path for role, paths in scope.paths_by_role.items() if role in staff for path in paths]


def is_handler(user, region_path: str) -> bool:
    """A staff member whose place contains the event's place."""
    return under_any(region_path, staff_paths(user))


def is_supervisor(user, region_path: str) -> bool:
    """A staff member above the place (a community supervises its grids, a street its communities)."""
    return any(is_under(region_path, path) and region_path != path for path in staff_paths(user))


def relations(user, event) -> set[str]:
    found: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return found
    if event.assignee_id == user.pk:
        found.add(Actor.ASSIGNEE)
    # Following (a merged duplicate) brings notices and read access, not the reporter's say.
    if event.reporter_id == user.pk:
        found.add(Actor.REPORTER)
    if is_handler(user, event.region_path):
        found.add(Actor.HANDLER)
    supervised_path = event.escalated_to.path if event.escalated_to_id else event.region_path
    if is_supervisor(user, event.region_path) and (
        not event.escalated_to_id or under_any(supervised_path, staff_paths(user))
    ):
        found.add(Actor.SUPERVISOR)
    return found
