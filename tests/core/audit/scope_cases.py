"""Scope-matrix cases of the audit log (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

from core.audit.services import audit_record
from tests.scope_matrix.cases import Case, register

# audit ----------------------------------------------------------------------------------------

register(
    "audit-event",
    case=Case(
        make=lambda world, community: audit_record(
            actor=None, action="tests.matrix.row", region_path=world.grid_of(community).path
        ),
    ),
)
