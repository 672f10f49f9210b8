"""Keyset (cursor) pagination with a total that never costs a full COUNT on a large set.

The cursor is the last row's sort value and id, so page N costs what page 1 costs and the
number of queries per page does not depend on the page size. The total is exact when the
filtered set lies within one community (or is small); above that it is the planner's estimate
(PostgreSQL EXPLAIN), flagged with "total_is_estimate": true.

A view sets `ordering_fields` ({"param": "model_field"}) and `default_ordering` ("-created_at").
"""

from __future__ import annotations

import base64
import binascii
import json

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api.params import parse_id, parse_int
from core.regions.paths import community_path, depth
from core.regions.scoping import PER_REGION_MIN_DEPTH, per_region_top, rows_under, scope_for


def _encode(payload) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": [_("The cursor is not valid.")]}) from None


def estimate_rows(queryset) -> int | None:
    """The planner's row estimate for the query (PostgreSQL), or None where there is none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. pk__in=[]) compiles to no SQL
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def scaled_to_scope(estimate: int, queryset, paths) -> int:
    """The planner's estimate corrected by how wrong it is about the scope alone: its estimate
    of the rows under `paths` against their known number (core.regions.scoping.rows_under, a
    per-region count kept for a few minutes). The planner reads a path prefix off a histogram
    and is often a third low for a street or a district; its guess for the other filters is
    kept, in proportion."""
    from core.regions.scoping import rows_under, under

    model = queryset.model
    path_field = getattr(queryset, "region_path_field", None)
    if path_field is None or not paths or estimate <= 0:
        return estimate
    scope_only = model._default_manager.filter(under(paths, path_field))
    planned = estimate_rows(scope_only)
    if not planned or planned < 1000:  # small tables: the count decides anyway
        return estimate
    known = rows_under(model, paths, path_field)
    if known is None:
        return estimate
    return max(0, round(estimate * known / planned))


def materialized_top(queryset, sort_field: str, descending: bool, limit: int, after=None):
    """The ids of the first `limit` rows of `queryset` in list order (past the cursor `after`,
    (sort value, id), if any), from the filtered set materialized first, then sorted: for a set
    known to be small (an exact total of a few thousand at most), whose matches an index walked
    in list order would meet late, after reading through everyone else's rows (a rare name over
    a city). The cursor applies to the materialized set, so the set's own plan (the filter's
    index) does not change with it. None where the shape does not apply (not PostgreSQL, a
    filter that matches nothing)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    columns = ["id"] if sort_field == "id" else ["id", sort_field]
    try:
        sql, params = queryset.order_by().values_list(*columns).query.sql_with_params()
    except EmptyResultSet:
        return None
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    if sort_field == "id":
        names, order_sql = '"id"', f'"id" {direction}'
    else:
        names, order_sql = '"id", "key"', f'"key" {direction} NULLS LAST, "id" {direction}'
    where, where_params = "", []
    if after is not None:
        value, last_id = after
        if sort_field == "id":
            where, where_params = f'WHERE "id" {beyond} %s', [last_id]
        elif value is None:  # inside the trailing run of NULLs: only the id decides
            where, where_params = f'WHERE "key" IS NULL AND "id" {beyond} %s', [last_id]
        else:
            where = f'WHERE ("key" {beyond} %s OR ("key" = %s AND "id" {beyond} %s) OR "key" IS NULL)'
            where_params = [value, value, last_id]
    # A compiled queryset and fixed names; values travel as parameters.
    top = (
        f'WITH "matched" ({names}) AS MATERIALIZED ({sql}) '  # noqa: S608
        f'SELECT "id" FROM "matched" {where} ORDER BY {order_sql} LIMIT %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(top, (*params, *where_params, limit))
        return [row[0] for row in cursor.fetchall()]


def _by_ids(queryset, ids):
    """The rows of `queryset` whose ids are `ids` (already found with every filter applied), read
    by primary key alone: with the filters repeated, the planner may prefer walking the scope
    again (it underestimates a path prefix) and read thousands of rows to keep twenty. What the
    rows carry is kept: related rows joined or prefetched, deferred fields. A queryset with
    annotations or extra SQL keeps its filters."""
    condition = ids if isinstance(ids, Q) else Q(pk__in=ids)
    query = queryset.query
    if query.annotations or query.extra or query.combinator:
        return queryset.filter(condition)
    rows = queryset.model._base_manager.using(queryset.db).filter(condition)
    rows.query.select_related = query.select_related
    rows.query.deferred_loading = query.deferred_loading
    rows._prefetch_related_lookups = queryset._prefetch_related_lookups
    return rows


class KeysetPagination(BasePagination):
    page_size = 20
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    ordering_param = "ordering"
    # Below this estimate the total is counted, reading at most this many rows (more: the
    # estimate, flagged).
    exact_count_below = 20_000
    # An exact total at most this: the page is the filtered set read whole (a bitmap scan,
    # say) and sorted (materialized_top), not an index walked in list order hoping to meet the
    # few matching rows soon.
    materialize_below = 2_000
    # … when the filters keep at most 1/this of the scope's rows (or the scope is a city).
    selective_share = 4
    # How far the planner's estimate of a path prefix is corrected at most in practice (it reads
    # a street or a district about a third low): below cap / this, the total is counted anyway.
    scope_misjudged_by = 10
    # Where a view narrows its list with a region parameter (region=<id>), its path.
    region_param = "region"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self._page_size(request)
        field, descending = self._ordering(request, view)
        self.total, self.total_is_estimate = self._total(queryset, request, view)
        ordered = queryset.order_by(*self._order_expressions(field, descending))
        whole = queryset
        cursor = request.query_params.get(self.cursor_query_param)
        position = None
        if cursor:
            position = self._cursor_values(cursor, queryset.model, field)
            after = self._after(field, descending, *position, queryset.model)
            queryset, ordered = queryset.filter(after), ordered.filter(after)
        limit = self.page_size_value + 1
        page_ids = None
        listed = self._listed_paths(request, view)
        if self._read_whole(whole, listed):
            page_ids = materialized_top(whole, field, descending, limit, position)
        if page_ids is None:
            page_ids = per_region_top(queryset, listed, field, descending, limit)
            beyond = getattr(queryset, "listed_beyond_scope", ())
            if page_ids is not None and beyond:
                # Rows visible beyond the scope (events the user follows elsewhere) lie under
                # none of its regions: their few ids, filtered, join the per-region candidates.
                extra = list(queryset.filter(pk__in=beyond).order_by().values_list("pk", flat=True))
                page_ids = Q(pk__in=page_ids) | Q(pk__in=extra)
        if page_ids is not None:
            ordered = _by_ids(queryset, page_ids).order_by(*self._order_expressions(field, descending))
        rows = list(ordered[: self.page_size_value + 1])
        self.has_next = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        self.next_cursor = None
        if self.has_next and rows:
            last = rows[-1]
            self.next_cursor = _encode([getattr(last, field), last.pk])
        return rows

    def _read_whole(self, queryset, listed: list[str]) -> bool:
        """Whether the page comes from the filtered set read whole and sorted: its total is
        exact and small, and (where the per-region shape could serve) the filters keep a small
        share of the scope's rows, which walking each region in list order would read through.
        A scope whose rows mostly match keeps the per-region walk: a few rows a region."""
        if self.total_is_estimate or self.total > self.materialize_below:
            return False
        if connections[queryset.db].vendor != "postgresql":
            return False  # the plain query (materialized_top is PostgreSQL's)
        if not listed or any(depth(path) < PER_REGION_MIN_DEPTH for path in listed):
            return True
        path_field = getattr(queryset, "region_path_field", None)
        if path_field is None:
            return True
        # The scope's rows, from the per-region counts kept for estimates (rows_under).
        known = rows_under(queryset.model, listed, path_field)
        return known is None or self.total * self.selective_share <= known

    # ordering ----------------------------------------------------------------------------

    def _ordering(self, request, view) -> tuple[str, bool]:
        fields = getattr(view, "ordering_fields", None) or {"id": "id"}
        raw = request.query_params.get(self.ordering_param) or getattr(view, "default_ordering", "id")
        key = raw.lstrip("-")
        if key not in fields:
            raise ValidationError({self.ordering_param: [_("Sorting by this field is not available.")]})
        return fields[key], raw.startswith("-")

    @staticmethod
    def _order_expressions(field: str, descending: bool) -> list:
        tie_breaker = F("id").desc() if descending else F("id").asc()
        if field == "id":
            return [tie_breaker]
        # NULLs last in both directions, so the cursor logic has one shape.
        primary = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        return [primary, tie_breaker]

    def _cursor_values(self, cursor: str, model, field: str):
        payload = _decode(cursor)
        if not isinstance(payload, list) or len(payload) != 2:
            raise ValidationError({"cursor": [_("The cursor is not valid.")]})
        value, last_id = payload
        try:
            last_id = int(last_id)
            if value is not None:
                value = model._meta.get_field(field).to_python(value)
        except Exception:
            raise ValidationError({"cursor": [_("The cursor is not valid.")]}) from None
        return value, last_id

    @staticmethod
    def _after(field: str, descending: bool, value, last_id: int, model) -> Q:
        beyond, id_beyond = ("lt", "lt") if descending else ("gt", "gt")
        if field == "id":
            return Q(**{f"id__{id_beyond}": last_id})
        nullable = model._meta.get_field(field).null
        if value is None:
            # Inside the trailing run of NULLs: only the id decides.
            return Q(**{f"{field}__isnull": True, f"id__{id_beyond}": last_id})
        condition = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"id__{id_beyond}": last_id})
        if nullable:
            return condition | Q(**{f"{field}__isnull": True})
        # The same rows, with a bound an index on (…, field, id) can start its scan from.
        return Q(**{f"{field}__{beyond}e": value}) & condition

    # total -------------------------------------------------------------------------------

    def _narrowest_paths(self, request, view) -> list[str]:
        path = self._region_path(request)
        if path:
            return [path]
        return list(scope_for(request.user).paths) if not request.user.is_superuser else ["/"]

    def _region_path(self, request) -> str | None:
        """The path of the region the request narrows to (region=<id>), looked up once."""
        from core.regions.models import Region

        if getattr(self, "_region_path_of", (None,))[0] is not request:
            region_id = parse_id(request.query_params.get(self.region_param))
            path = None
            if region_id:
                path = Region.objects.filter(pk=region_id).values_list("path", flat=True).first()
            self._region_path_of = (request, path)
        return self._region_path_of[1]

    def _listed_paths(self, request, view) -> list[str]:
        """Subtrees that every row of the view's queryset lies under, as far as it is known:
        the caller's scope (the queryset was filtered by it, ScopedViewSet.get_queryset), or the
        region the view's own `region` filter narrowed it to; [] when rows may lie elsewhere
        (a resident's own records)."""
        user = request.user
        scope = scope_for(user)
        if user.is_superuser:
            paths = ["/"]
        elif scope.resident_ids:
            return []
        else:
            paths = list(scope.paths)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and self.region_param in filterset_class.base_filters:
            path = self._region_path(request)
            if path and any(path.startswith(p) for p in paths):
                return [path]
        return paths

    def _total(self, queryset, request, view) -> tuple[int, bool]:
        paths = self._narrowest_paths(request, view)
        communities = {community_path(p) for p in paths}
        if len(communities) == 1 and None not in communities:
            return queryset.count(), False
        estimate = estimate_rows(queryset)
        if estimate is None:
            return queryset.count(), False
        if estimate * self.scope_misjudged_by >= self.exact_count_below:
            # Only where the correction could move the estimate past the cap is it worth the
            # scope's own EXPLAIN (a search matching a few rows counts them in any case).
            estimate = scaled_to_scope(estimate, queryset, paths)
        if estimate >= self.exact_count_below:
            return estimate, True
        # The planner may be wrong by far: count, but never more than the cap.
        counted = queryset.order_by().values("pk")[: self.exact_count_below + 1].count()
        if counted <= self.exact_count_below:
            return counted, False
        return max(estimate, counted), True

    # response ----------------------------------------------------------------------------

    def _page_size(self, request) -> int:
        """The requested page size, 1 to max_page_size; anything else is 400 (never clamped: a
        client asking for more rows than a page holds learns it, as the schema says)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_int(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            bounds = {"low": 1, "high": self.max_page_size}
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number from %(low)s to %(high)s.") % bounds]}
            )
        return size

    # A list paged by its own code (the household timeline, merged from every app's entries):
    # the same parameters, cursor encoding and response as every list.

    def page_size_of(self, request) -> int:
        return self._page_size(request)

    def cursor_payload(self, request):
        """The decoded `cursor` of the request, or None on a first page."""
        cursor = request.query_params.get(self.cursor_query_param)
        return _decode(cursor) if cursor else None

    def prepared_response(self, request, data, *, next_payload, total: int, total_is_estimate: bool):
        self.request = request
        self.next_cursor = _encode(next_payload) if next_payload is not None else None
        self.total, self.total_is_estimate = total, total_is_estimate
        return self.get_paginated_response(data)

    def get_next_link(self) -> str | None:
        if not self.next_cursor:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "total": self.total,
                "total_is_estimate": self.total_is_estimate,
                "next": self.get_next_link(),
                "next_cursor": self.next_cursor,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["total", "total_is_estimate", "next", "results"],
            "properties": {
                "total": {"type": "integer"},
                "total_is_estimate": {"type": "boolean"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "next_cursor": {"type": "string", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {"name": self.cursor_query_param, "in": "query", "required": False, "schema": {"type": "string"}},
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class RelatedKeysetPagination(KeysetPagination):
    """Keyset pages of a list that belongs to one object (a resident's contacts, a house's
    tenants, a region's children): the same page shape and cursor as every list, the total
    counted exactly (one object's rows) and the page read by the plain ordered query (the
    per-region shapes above are for a scope's lists). Views use ScopedViewSet.related_page."""

    def _total(self, queryset, request, view) -> tuple[int, bool]:
        return queryset.count(), False

    def _listed_paths(self, request, view) -> list[str]:
        return []

    def _read_whole(self, queryset, listed: list[str]) -> bool:
        return False
