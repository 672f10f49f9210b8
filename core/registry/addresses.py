"""Finding a place from an address as people write it: the one house whose address matches, or a
standard place name (地名). Used wherever an address arrives as text (the 12345 hotline, Open311).

Matching ignores every kind of space and folds full-width characters (ＡＢ１２ → AB12) in what
is asked; stored addresses are compared with their spaces (ASCII and ideographic) dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from core.registry.models import House, PlaceName

_SPACES = re.compile(r"\s+")


def normalise_address(address: str) -> str:
    """Full-width characters folded (ＡＢ１２ → AB12), every kind of space dropped."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", address or ""))


def _compact(field: str):
    return Replace(Replace(F(field), Value(" "), Value("")), Value("\u3000"), Value(""))


def _under(paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        if path:  # an empty prefix would take in the whole tree
            condition |= Q(region_path__startswith=path)
    return condition


def house_at(address: str, within_paths: Iterable[str]) -> House | None:
    """The one house under these region paths whose address matches, spaces and full-width aside;
    None for no match or for two houses with one address (a person decides)."""
    wanted = normalise_address(address)
    paths = list(within_paths)
    if not wanted or not paths:
        return None
    found = list(
        House.objects.filter(_under(paths))
        .annotate(compact=_compact("address"))
        .filter(compact=wanted)
        .select_related("region")[:2]
    )
    return found[0] if len(found) == 1 else None


def standard_place_named(address: str, within_paths: Iterable[str]) -> PlaceName | None:
    """The one standard place name under these region paths whose name (or standard name) is the
    address, spaces and full-width aside; None for none, or for two places of that name."""
    wanted = normalise_address(address)
    paths = list(within_paths)
    if not wanted or not paths:
        return None
    found = list(
        PlaceName.objects.filter(_under(paths), status=PlaceName.Status.STANDARD)
        .annotate(compact_name=_compact("name"), compact_standard=_compact("standard_name"))
        .filter(Q(compact_name=wanted) | Q(compact_standard=wanted))
        .select_related("region")[:2]
    )
    return found[0] if len(found) == 1 else None
