"""Scope-matrix cases of the dashboards (/api/v1/dashboards/{region}/ and its series and export):
the object is the node itself, in scope when the caller's dashboard subtree holds it."""

from __future__ import annotations

from tests.scope_matrix.cases import Case, register

register(
    "dashboard",
    case=Case(
        make=lambda world, community: community,
        path_attribute="path",
    ),
)
