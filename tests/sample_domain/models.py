from django.db import models

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class StreetLamp(Placed):
    """A street lamp of a grid, which the grid's lamp patroller looks after."""

    number = models.CharField(max_length=20, unique=True)

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("sample_lamp")]
