"""Scope-matrix cases of the sample domain: the same shape as every domain's."""

from __future__ import annotations

import itertools

from tests.scope_matrix.cases import Case, register
from tests.world import World

_numbers = itertools.count(1)


def _lamp_in(world: World, community):
    from tests.sample_domain.models import StreetLamp

    grid = world.grid_of(community)
    return StreetLamp.objects.create(region=grid, region_path=grid.path, number=f"L{next(_numbers)}")


register("sample-domain-lamp", case=Case(make=_lamp_in))
