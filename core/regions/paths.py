"""Region paths, read in one place.

A node's path is the chain of ids from the root of the tree, each followed by a slash:
"/1/5/23/" is node 23, under 5, under the city 1. Depth equals level (a city is one id deep, a
grid five), because every node sits exactly one level below its parent (core.regions.services).
"/" is the top of the whole tree (above every city); "" is no place at all (a row tied to none,
e.g. a sign-in in the audit log). Anything else is malformed and raises `MalformedPath`.

Nothing else splits a path by hand. Whether a caller may act at a place is a scope question:
`Scope.covers` (core.regions.scoping) or `region_in_scope` below, never a loop over paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.regions.models import Region

ROOT = ""  # the path of no place; "/" is the top of the tree
_WELL_FORMED = re.compile(r"/(?:[1-9][0-9]*/)*")
COMMUNITY_LEVEL = 4
STREET_LEVEL = 3


class MalformedPath(ValueError):
    def __init__(self, path: object):
        super().__init__(f"Not a region path: {path!r}")


def ancestor_ids(path: str) -> tuple[int, ...]:
    """The ids on the path from the root down to the node itself ("/1/5/23/" → (1, 5, 23))."""
    if path == ROOT:
        return ()
    if not isinstance(path, str) or not _WELL_FORMED.fullmatch(path):
        raise MalformedPath(path)
    return tuple(int(part) for part in path[1:-1].split("/") if part)


def depth(path: str) -> int:
    """How many nodes the path holds: the level of the node it ends at (0 for "/" and "")."""
    return len(ancestor_ids(path))


def path_of(ids: Iterable[int]) -> str:
    """The path of a chain of ids from the root ((1, 5, 23) → "/1/5/23/")."""
    return "/" + "".join(f"{int(i)}/" for i in ids)


def ancestor_paths(path: str) -> list[str]:
    """The paths of the node and of every node above it, top first ("/1/5/" → ["/1/", "/1/5/"])."""
    ids = ancestor_ids(path)
    return [path_of(ids[: i + 1]) for i in range(len(ids))]


def id_at(path: str, level: int) -> int | None:
    """The id of the node at `level` on the path (the street of a grid: level 3); None when the
    path ends above that level."""
    ids = ancestor_ids(path)
    return ids[level - 1] if 1 <= level <= len(ids) else None


def path_at(path: str, level: int) -> str | None:
    """The path of the node at `level` on the path ("/1/2/3/4/5/" at 4 → "/1/2/3/4/"); None when
    the path ends above that level."""
    ids = ancestor_ids(path)
    return path_of(ids[:level]) if 1 <= level <= len(ids) else None


def community_id(path: str) -> int | None:
    return id_at(path, COMMUNITY_LEVEL)


def community_path(path: str) -> str | None:
    return path_at(path, COMMUNITY_LEVEL)


def street_id(path: str) -> int | None:
    return id_at(path, STREET_LEVEL)


def parent(path: str) -> str | None:
    """The path of the node above ("/1/5/23/" → "/1/5/"); None for a city, "/" and ""."""
    ids = ancestor_ids(path)
    return path_of(ids[:-1]) if len(ids) > 1 else None


def is_under(path: str, ancestor: str) -> bool:
    """The node at `path` is `ancestor` or lies below it. No place ("") lies under nothing, and
    "" is no ancestor: an empty prefix would otherwise take in the whole tree."""
    if ancestor == ROOT:
        raise MalformedPath(ancestor)
    ancestor_ids(ancestor), ancestor_ids(path)  # both well formed, or MalformedPath
    return path != ROOT and path.startswith(ancestor)


def under_any(path: str, ancestors: Iterable[str]) -> bool:
    """The node at `path` lies in any of these subtrees (not a scope check: see region_in_scope)."""
    return any(is_under(path, ancestor) for ancestor in ancestors)


def region_in_scope(user, region_id, permission: str | None = None, *, levels=()) -> Region | None:
    """The region with this id if the caller's scope covers it for `permission` (and, if given,
    it is at one of `levels`); None for an id that is malformed, unknown or out of scope alike,
    so the caller answers all three the same way."""
    from core.regions.models import Region
    from core.regions.scoping import scope_for

    if isinstance(region_id, bool):
        return None
    try:
        region_id = int(region_id)
    except (TypeError, ValueError):
        return None
    nodes = Region.objects.filter(pk=region_id)
    if levels:
        nodes = nodes.filter(level__in=levels)
    region = nodes.first()
    if region is None or not scope_for(user).covers(region.path, permission):
        return None
    return region
