"""Who may see what: the one scoping call every queryset that leaves an app goes through.

A user's scope is the set of region subtrees where they hold a current staff role, plus, for a
resident, the resident record they are bound to. Models that belong to a place carry their
node's path in `region_path`; `RegionScopedQuerySet.visible_to(user)` keeps the rows under the
user's subtrees. An object outside scope is then simply not found (404), so its existence
does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

_CACHE_ATTRIBUTE = "_region_scope"


@dataclass(frozen=True)
class Scope:
    # Subtrees (region paths) per role, e.g. {"accounts.community_worker": ("/1/2/3/4/",)}.
    paths_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    permissions: frozenset[str] = frozenset()
    resident_ids: tuple[int, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        """Every subtree the user reaches through any staff or admin role, without nesting."""
        from core.accounts.roles import reaches_subtree

        all_paths = sorted(
            {p for role, paths in self.paths_by_role.items() if reaches_subtree(role) for p in paths}
        )
        # Drop a path already covered by a shorter one (a street covers its communities).
        return tuple(p for p in all_paths if not any(p != q and p.startswith(q) for q in all_paths))

    def paths_with(self, permission: str) -> tuple[str, ...]:
        """Subtrees where the user holds a staff or admin role granting this permission. The
        resident role is held at a community but reaches only the resident's own records
        (`resident_ids`), never the subtree: it is left out, like in `paths`. A permission no app
        declares raises ImproperlyConfigured rather than silently denying."""
        from core.accounts.roles import permissions_of, reaches_subtree, require_permission

        require_permission(permission)
        return tuple(
            sorted(
                {
                    p
                    for role, paths in self.paths_by_role.items()
                    if reaches_subtree(role) and permission in permissions_of(role)
                    for p in paths
                }
            )
        )

    def covers(self, path: str, permission: str | None = None) -> bool:
        paths = self.paths_with(permission) if permission else self.paths
        return any(path.startswith(p) for p in paths)

    def has(self, permission: str) -> bool:
        from core.accounts.roles import require_permission

        return require_permission(permission) in self.permissions


EMPTY_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from core.accounts.models import RoleAssignment
    from core.accounts.roles import Role, permissions_of

    paths_by_role: dict[str, set[str]] = {}
    for role, path in RoleAssignment.objects.current().filter(user=user).values_list("role", "region_path"):
        paths_by_role.setdefault(role, set()).add(path)
    permissions = frozenset(p for role in paths_by_role for p in permissions_of(role))
    resident_ids: tuple[int, ...] = ()
    if Role.RESIDENT in paths_by_role:
        resident_ids = tuple(user.resident_links.values_list("resident_id", flat=True))
    scope = Scope(
        paths_by_role={role: tuple(sorted(paths)) for role, paths in paths_by_role.items()},
        permissions=permissions,
        resident_ids=resident_ids,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def under(paths: tuple[str, ...] | list[str], field_name: str = "region_path") -> Q:
    """Rows whose path lies in any of these subtrees (an indexed prefix match per path)."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field_name}__startswith": path}) for path in paths))


class RegionScopedQuerySet(models.QuerySet):
    """Base queryset of every model that belongs to a place."""

    region_path_field = "region_path"

    # The ids of rows visible beyond the caller's scope (their own records elsewhere, events they
    # follow, unrouted tickets waiting above them): few, kept through chaining. A page read region
    # by region reads the scope alone (per_region_top); the paginator adds these beside it.
    listed_beyond_scope: tuple[int, ...] = ()

    def _clone(self):
        clone = super()._clone()
        clone.listed_beyond_scope = self.listed_beyond_scope
        return clone

    def under(self, *paths: str):
        return self.filter(under(paths, self.region_path_field))

    def scope_and(self, paths, beyond):
        """Rows under `paths`, and the rows of `beyond` (a queryset of this model) outside them,
        found first and OR'd in as a literal id list: the scoped part stays a plain path
        condition (the path index, the per-region page)."""
        scoped = under(paths, self.region_path_field)
        ids = tuple(sorted(beyond.exclude(scoped).order_by().values_list("pk", flat=True)))
        if not ids:
            return self.filter(scoped)
        rows = self.filter(scoped | Q(pk__in=ids))
        rows.listed_beyond_scope = ids
        return rows

    def visible_to(self, user, permission: str | None = None):
        """Rows the user may see: under their subtrees (optionally, only where a role grants
        `permission`), or for a resident, what `visible_to_resident` allows."""
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths  # checks it is declared
        own = scope.resident_ids and (permission is None or permission.endswith("view_own"))
        if not paths:
            return self.visible_to_resident(scope.resident_ids) if own else self.none()
        if own:  # staff who are residents too: their own records may lie outside their scope
            return self.scope_and(paths, self.visible_to_resident(scope.resident_ids))
        return self.filter(under(paths, self.region_path_field))

    def visible_to_resident(self, resident_ids: tuple[int, ...]):
        """What a resident bound to these records may see; models override. Nothing by default."""
        return self.none()


# Scopes at least this deep (a district, a street, a community, a grid) are listed region by
# region (per_region_top); a city-wide list is read straight off an index in list order, every
# row of the table matching its scope.
PER_REGION_MIN_DEPTH = 2


def per_region_top(queryset, paths, sort_field: str, descending: bool, limit: int):
    """The ids of the first `limit` rows of `queryset` in (sort_field, id) order, found region by
    region: for each region under `paths`, its own first `limit` rows read in order off the
    model's `(region_path, sort_field, id)` index (an equality on the path, so that index is the
    only good plan whatever the statistics say), then the best `limit` of those.

    A scope spanning several regions cannot be walked in one index order (the index sorts by
    path first), and walking the primary key or the sort key instead reads through everyone
    else's rows; this shape reads at most `limit` index entries a region.

    Returns a RawSQL for `pk__in=`, or None where the shape does not apply (not PostgreSQL, no
    such index, a nullable sort key, a scope too wide). The caller must guarantee that every row
    of `queryset` lies under `paths` (the scope it was filtered by): rows elsewhere would be
    left out.
    """
    from django.core.exceptions import EmptyResultSet
    from django.db import connections
    from django.db.models.expressions import RawSQL

    from core.regions.models import Region
    from core.regions.paths import depth
    from core.regions.placed import sorted_path_index

    model = queryset.model
    path_field = getattr(queryset, "region_path_field", "region_path")
    if connections[queryset.db].vendor != "postgresql" or not paths:
        return None
    if any(depth(path) < PER_REGION_MIN_DEPTH for path in paths):
        return None
    if not sorted_path_index(model, sort_field, path_field):
        return None
    field = model._meta.get_field(sort_field)
    if field.null:
        return None
    direction = "DESC" if descending else "ASC"
    order = [f"-{sort_field}", "-id"] if descending else [sort_field, "id"]
    columns = ["id"] if sort_field == "id" else ["id", sort_field]
    region_paths = Region.objects.filter(under(paths, "path")).order_by().values("path")
    regions_sql, regions_params = region_paths.query.sql_with_params()
    inner = (
        queryset.filter(**{path_field: RawSQL('"scope_region"."path"', ())})
        .order_by(*order)
        .values_list(*columns)[:limit]
    )
    try:
        inner_sql, inner_params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: the plain query says so at once
        return None
    sort_column = "id" if sort_field == "id" else field.column
    order_sql = f'"top"."id" {direction}'
    if sort_column != "id":
        order_sql = f'"top"."{sort_column}" {direction}, {order_sql}'
    # Compiled querysets and column names from the model: values travel as parameters.
    sql = (
        f'SELECT "top"."id" FROM ({regions_sql}) AS "scope_region" '  # noqa: S608
        f'CROSS JOIN LATERAL ({inner_sql}) AS "top" ORDER BY {order_sql} LIMIT %s'
    )
    return RawSQL(sql, (*regions_params, *inner_params, limit))  # noqa: S611


ROWS_UNDER_TTL = 600  # seconds a per-region count is reused


def rows_under(model, paths, path_field: str = "region_path") -> int | None:
    """How many rows of `model` lie under `paths`, from a count per region path kept for
    ROWS_UNDER_TTL seconds in the cache (one GROUP BY over the path index when missing). For
    estimates only: it may be minutes old. None for rows outside any path's reach."""
    from django.core.cache import cache
    from django.db import connections

    connection = connections[model._default_manager.db]
    key = f"rows-under:{connection.settings_dict.get('NAME')}:{model._meta.db_table}:{path_field}"
    counts = cache.get(key)
    if counts is None:
        rows = model._default_manager.order_by().values_list(path_field).annotate(n=models.Count("pk"))
        counts = dict(rows.values_list(path_field, "n"))
        cache.set(key, counts, ROWS_UNDER_TTL)
    return sum(n for path, n in counts.items() if path and any(path.startswith(p) for p in paths))
