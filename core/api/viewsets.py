"""The base of every API resource: the queryset is restricted to the caller's scope once, here.

Out of scope is 404 (the object is simply not in the queryset); an action the caller's role does
not grant on something it can see is 403. Each view declares which permission each action needs
(`action_permissions`); apps declare permissions and the roles holding them as contributions
(core/accounts/roles.py reads them), and a name nobody declared stops start-up.

`ListViewSet` lists (in keyset pages, core/api/pagination.py) through one output serializer,
`ResourceViewSet` also retrieves; `CrudViewSet` adds create and partial update through the
resource's services.
Views parse (`parse`), call a service and serialize (`out`); they hold no rules of their own.

Two more guarantees every resource gets from here:
- a write naming a field the endpoint does not let the caller set (region, role, status…) is
  refused with 400 naming the field, never silently ignored;
- a resource with `carries_personal_data = True` answers with `Cache-Control: no-store`
  (function views use the `no_store` decorator, other views `NoStoreMixin`).
"""

from __future__ import annotations

from functools import wraps

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from core.api.fast_output import serialize_page
from core.api.filtering import FilterBackend, NarrowFilterBackend
from core.api.pagination import RelatedKeysetPagination
from core.regions.scoping import scope_for

READ_ACTIONS = frozenset({"list", "retrieve", "metadata"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
NO_STORE = "no-store, no-cache, must-revalidate, max-age=0, private"


def mark_no_store(response):
    """Personal data must not stay in a browser's or a proxy's cache."""
    add_never_cache_headers(response)
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"
    return response


def no_store(view):
    """Decorator for function views whose responses carry personal data."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return mark_no_store(view(*args, **kwargs))

    return wrapper


class NoStoreMixin:
    """For API views whose responses carry personal data (ScopedViewSet: carries_personal_data)."""

    carries_personal_data = True

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.carries_personal_data:
            mark_no_store(response)
        return response


def reject_unsettable_fields(serializer, data) -> None:
    """400 naming every submitted field that the serializer would not write (unknown or read-only)."""
    if not isinstance(data, dict):
        return
    writable = {name for name, field in serializer.fields.items() if not field.read_only}
    refused = sorted(set(data) - writable)
    if refused:
        raise serializers.ValidationError(
            {name: [_("This field cannot be set here.")] for name in refused}, code="unsettable_field"
        )


class RolePermission(BasePermission):
    """The caller holds the action's permission somewhere, and over the object's subtree."""

    def has_permission(self, request, view) -> bool:
        if view.action is None and request.method.lower() not in getattr(view, "action_map", {}):
            return True  # a method the resource does not serve: let the view answer 405
        needed = view.permission_for(view.action)
        if needed is None:
            return False
        scope = scope_for(request.user)
        return any(scope.has(permission) for permission in needed)

    def has_object_permission(self, request, view, obj) -> bool:
        needed = view.permission_for(view.action)
        if not needed:
            return False
        scope = scope_for(request.user)
        path = getattr(obj, view.region_path_attribute, "")
        if any(path and scope.covers(path, permission) for permission in needed):
            return True
        # A resident's own records: only actions granted by a *_own permission.
        return any(p.endswith("_own") and scope.has(p) for p in needed) and view.is_own(obj, scope)


class _RelatedListing:
    """What the paginator reads off a view, for one sub-list."""

    filterset_class = None

    def __init__(self, ordering_fields: dict[str, str], default_ordering: str):
        self.ordering_fields = ordering_fields
        self.default_ordering = default_ordering


class ScopedViewSet(NoStoreMixin, viewsets.GenericViewSet):
    """Subclasses set `queryset` (a RegionScopedQuerySet) and `action_permissions`."""

    permission_classes = [IsAuthenticated, RolePermission]
    # action → permissions, any of which allows it; "*" is the fallback for unlisted actions.
    action_permissions: dict[str, tuple[str, ...]] = {}
    region_path_attribute = "region_path"
    carries_personal_data = False
    # Actions may set it (@action(throttle_scope="reveal")) for ScopedRateThrottle.
    throttle_scope: str | None = None

    def permission_for(self, action: str | None) -> tuple[str, ...] | None:
        if action in self.action_permissions:
            return self.action_permissions[action]
        return self.action_permissions.get("*")

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs and self.request.method in WRITE_METHODS:
            reject_unsettable_fields(serializer, kwargs["data"])
        return serializer

    def is_own(self, obj, scope) -> bool:
        """Whether a resident may act on this object as their own; resources override."""
        return False

    @property
    def scope(self):
        return scope_for(self.request.user)

    def related_page(self, queryset, serializer, *, ordering_fields=None, default_ordering="-id"):
        """A list that belongs to one object (a house's tenants, a region's children) in keyset
        pages like every list: `ordering_fields` ({"param": "model_field"}) and
        `default_ordering` are the sub-list's own, `cursor` and `page_size` as everywhere."""
        listing = _RelatedListing(ordering_fields or {"id": "id"}, default_ordering)
        paginator = RelatedKeysetPagination()
        rows = paginator.paginate_queryset(queryset, self.request, view=listing)
        context = {**self.get_serializer_context(), "today": timezone.localdate()}
        return paginator.get_paginated_response(serializer(rows, many=True, context=context).data)

    def parse(self, serializer_class, data=None) -> dict:
        """The request body (or `data`) validated by an input serializer: 400 naming each problem."""
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ListViewSet(ScopedViewSet):
    """List in keyset pages through `output_serializer` (and answer actions through `out`)."""

    ordering_fields = {"id": "id"}
    # Newest first unless the client sorts otherwise.
    default_ordering = "-id"
    output_serializer = None
    # True: list pages go through the output serializer compiled once (core/api/fast_output.py),
    # the same output without DRF's per-field machinery; tests assert both paths agree.
    fast_list = False

    def get_serializer_class(self):
        return self.serializer_class or self.output_serializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def out(self, obj, *, serializer=None, status=200, many=False) -> Response:
        serializer = serializer or self.output_serializer
        return Response(serializer(obj, many=many, context=self.get_serializer_context()).data, status=status)

    def filter_queryset(self, queryset):
        # The FilterSet is built with only the filters the request names (core/api/filtering.py).
        for backend in self.filter_backends:
            backend = NarrowFilterBackend if backend in (DjangoFilterBackend, FilterBackend) else backend
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    def page_data(self, page) -> list[dict]:
        """A page of rows as the output serializer shows them (compiled when `fast_list`)."""
        context = self.get_serializer_context()
        if self.fast_list:
            return serialize_page(self.output_serializer, page, context)
        return self.output_serializer(page, many=True, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.page_data(page))


class ResourceViewSet(ListViewSet):
    """List in keyset pages and retrieve, both through `output_serializer`."""

    def retrieve(self, request, *args, **kwargs):
        return self.out(self.get_object())


class CrudViewSet(ResourceViewSet):
    """List, retrieve, create and partial update through the resource's services; subclasses set
    `action_permissions` for the four actions."""

    create_input = None
    update_input = None
    create_service = None  # staticmethod(callable(*, actor, request, **data))
    update_service = None  # staticmethod(callable(*, actor, <instance_kwarg>, data, request))
    instance_kwarg = ""

    def create(self, request, *args, **kwargs):
        data = self.parse(self.create_input)
        obj = self.create_service(actor=request.user, request=request, **data)
        return self.out(obj, status=201)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.parse(self.update_input)
        obj = self.update_service(
            actor=request.user, data=data, request=request, **{self.instance_kwarg: instance}
        )
        return self.out(obj)
