"""Small-cell suppression of counts of people (settings.SMALL_CELL_K, docs/dashboards.md).

Primary: a count from 1 to k-1 is withheld. Secondary: when exactly one cell of a set that adds
up to a shown total is withheld (the children of a node, the parts of a node's count), the
smallest other non-zero cell is withheld too, so the first cannot be recovered by subtraction.
The choice depends only on the set's values, so a node is withheld the same way whether it is
seen among its siblings or on its own page.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def withheld(values: Mapping[Hashable, float | None], k: int) -> set:
    """The keys of `values` (one set of cells adding up to a shown total) to withhold."""
    primary = {key for key, v in values.items() if v is not None and 0 < v < k}
    if len(primary) == 1:
        others = sorted(
            ((v, str(key), key) for key, v in values.items() if key not in primary and v),
            key=lambda item: (item[0], item[1]),
        )
        if others:
            primary.add(others[0][2])
    return primary
