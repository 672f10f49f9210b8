"""Facts other parts add to a resident's detail (ResidentFact contributions): each computed for
the resident and shown only to who holds its permission over the resident's place, so a sensitive
fact (party membership) never reaches a role that may not see it. One call per fact shown."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from core.extensions import ResidentFact
from core.extensions.registry import registry
from core.regions.scoping import scope_for


def resident_facts(resident, *, user) -> dict[str, Any]:
    scope = scope_for(user)
    facts = {}
    for fact in registry.items(ResidentFact.kind):
        if resident.region_path and scope.covers(resident.region_path, fact.permission):
            facts[fact.key] = import_string(fact.compute)([resident.pk]).get(resident.pk)
    return facts
