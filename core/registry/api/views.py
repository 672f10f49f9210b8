"""Residents, households, tags and transfers: /api/v1/registry/…

Views parse and check scope; the services hold the rules. Every response carrying personal data
is marked Cache-Control: no-store, and personal data leaves masked except through `reveal`.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import ScopedRateThrottle

from core.api.viewsets import CrudViewSet, ResourceViewSet, RolePermission
from core.registry import filters, selectors, services
from core.registry.api import serializers as s
from core.registry.api import serializers_relations as rel
from core.registry.api.access import (
    CHANGE,
    CRUD_PERMISSIONS,
    VIEW,
    VIEW_OR_OWN,
    own_household_ids,
    owns_resident,
)
from core.registry.api.search import (
    IDENTITY_PARAMETERS_NOT_IN_QUERY,
    ResidentSearchInput,
    ResidentSearchOutput,
    refuse_identity_in_query,
    search_filter_data,
)
from core.registry.filters import RESIDENT_ORDERING
from core.registry.identity import ENCRYPTED_COLUMNS
from core.registry.in_scope import get_in_scope
from core.registry.models import Household, Resident, ResidentTag, Tenancy, Transfer
from core.registry.tags import tag_kinds
from core.registry.timeline import household_timeline_page

# The ciphertexts and blind indexes: ResidentOutput shows the masked columns instead.
LIST_UNREAD_COLUMNS = (*ENCRYPTED_COLUMNS, "document_number_index", "mobile_index")


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=s.ResidentOutput, parameters=IDENTITY_PARAMETERS_NOT_IN_QUERY),
    retrieve=extend_schema(responses=s.ResidentDetailOutput),
    create=extend_schema(request=s.ResidentCreateInput, responses={201: s.ResidentOutput}),
    partial_update=extend_schema(request=s.ResidentInput, responses=s.ResidentOutput),
)
class ResidentViewSet(CrudViewSet):
    queryset = Resident.objects.all()
    filterset_class = filters.ResidentFilter
    ordering_fields = RESIDENT_ORDERING
    carries_personal_data = True
    output_serializer = s.ResidentOutput
    fast_list = True
    create_input, update_input = s.ResidentCreateInput, s.ResidentInput
    action_permissions = {
        "list": VIEW,
        "my_grid": VIEW,
        "retrieve": VIEW_OR_OWN,
        "create": CHANGE,
        "partial_update": CHANGE,
        "move_in": CHANGE,
        "move_out": CHANGE,
        "death": CHANGE,
        "reveal": ("registry.reveal",),
        "transfer": ("registry.transfer",),
        "contacts": VIEW_OR_OWN,
        "add_contact": CHANGE,
        "tenancies": VIEW_OR_OWN,
        "search": VIEW,
    }

    def get_queryset(self):
        queryset = selectors.resident_queryset(super().get_queryset())
        if self.action in {"list", "my_grid"}:
            # Columns no list output reads: not fetched, and the ciphertexts not decrypted.
            queryset = queryset.defer(*LIST_UNREAD_COLUMNS)
        return queryset

    def is_own(self, obj, scope) -> bool:
        return owns_resident(obj, scope)

    def retrieve(self, request, *args, **kwargs):
        return self.out(self.get_object(), serializer=s.ResidentDetailOutput)

    def create(self, request, *args, **kwargs):
        data = self.parse(self.create_input)
        resident = services.resident_create(actor=request.user, data=data, request=request)
        return self.out(self.get_queryset().get(pk=resident.pk), status=201)

    def partial_update(self, request, *args, **kwargs):
        resident = self.get_object()
        data = self.parse(self.update_input)
        services.resident_update(actor=request.user, resident=resident, data=data, request=request)
        return self.out(self.get_queryset().get(pk=resident.pk))

    @extend_schema(responses=s.ResidentOutput(many=True), parameters=IDENTITY_PARAMETERS_NOT_IN_QUERY)
    @action(detail=False, methods=["get"], url_path="my-grid")
    def my_grid(self, request):
        """Residents of the grids where the caller works as a grid worker."""
        queryset = self.filter_queryset(
            selectors.resident_queryset(selectors.residents_in_my_grids(request.user)).defer(
                *LIST_UNREAD_COLUMNS
            )
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.page_data(page))

    @extend_schema(request=s.MoveInInput, responses=s.ResidentOutput)
    @action(detail=True, methods=["post"], url_path="move-in")
    def move_in(self, request, pk=None):
        resident = self.get_object()
        data = self.parse(s.MoveInInput)
        services.resident_move_in(actor=request.user, resident=resident, request=request, **data)
        return self.out(self.get_queryset().get(pk=resident.pk))

    @extend_schema(request=s.MoveOutInput, responses=s.ResidentOutput)
    @action(detail=True, methods=["post"], url_path="move-out")
    def move_out(self, request, pk=None):
        resident = self.get_object()
        services.resident_move_out(
            actor=request.user, resident=resident, request=request, **self.parse(s.MoveOutInput)
        )
        return self.out(self.get_queryset().get(pk=resident.pk))

    @extend_schema(request=s.DeathInput, responses=s.ResidentOutput)
    @action(detail=True, methods=["post"])
    def death(self, request, pk=None):
        resident = self.get_object()
        services.resident_record_death(
            actor=request.user, resident=resident, request=request, **self.parse(s.DeathInput)
        )
        return self.out(self.get_queryset().get(pk=resident.pk))

    @extend_schema(request=s.RevealInput, responses=s.RevealOutput)
    @action(detail=True, methods=["post"], throttle_classes=[ScopedRateThrottle], throttle_scope="reveal")
    def reveal(self, request, pk=None):
        """The full document number and phones (and a minor's name), for a stated purpose;
        audited, rate-limited."""
        resident = self.get_object()
        data = self.parse(s.RevealInput)
        values = services.resident_reveal(
            actor=request.user,
            resident=resident,
            purpose=data["purpose"],
            fields=data.get("fields"),
            request=request,
        )
        return self.out(values, serializer=s.RevealOutput)

    @extend_schema(responses=rel.ContactOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def contacts(self, request, pk=None):
        """The resident's guardians and emergency contacts, phones masked (keyset-paginated)."""
        return self.related_page(
            selectors.contacts_of(self.get_object()),
            rel.ContactOutput,
            ordering_fields=selectors.CONTACT_ORDERING,
            default_ordering="kind",
        )

    @extend_schema(request=rel.ContactCreateInput, responses={201: rel.ContactOutput})
    @contacts.mapping.post
    def add_contact(self, request, pk=None):
        resident = self.get_object()
        contact = services.contact_add(
            actor=request.user, resident=resident, data=self.parse(rel.ContactCreateInput), request=request
        )
        return self.out(
            selectors.contact_queryset().get(pk=contact.pk), serializer=rel.ContactOutput, status=201
        )

    @extend_schema(responses=rel.TenancyOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def tenancies(self, request, pk=None):
        """The houses the resident rents or rented, the latest first (keyset-paginated)."""
        resident = self.get_object()
        visible = selectors.tenancies(resident=resident).filter(
            pk__in=Tenancy.objects.visible_to(request.user).values("pk")
        )
        return self.related_page(
            visible,
            rel.TenancyOutput,
            ordering_fields=selectors.TENANCY_ORDERING,
            default_ordering="-starts_on",
        )

    @extend_schema(request=s.TransferRequestInput, responses={201: s.TransferOutput})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Ask for the resident to move to a grid of another community."""
        resident = self.get_object()
        transfer = services.transfer_request(
            actor=request.user, resident=resident, request=request, **self.parse(s.TransferRequestInput)
        )
        return self.out(transfer, serializer=s.TransferOutput, status=201)

    # Identity lookups: in a POST body, never in the address (core/registry/api/search.py).

    def filter_queryset(self, queryset):
        if self.request.method == "GET":
            refuse_identity_in_query(self.request.query_params)
        return super().filter_queryset(queryset)

    @extend_schema(
        request=ResidentSearchInput,
        responses=ResidentSearchOutput,
        parameters=[
            OpenApiParameter("ordering", str, description="as in the list"),
            OpenApiParameter("cursor", str, description="the next_cursor of the previous page"),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 200}),
        ],
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        """The register list, filtered by the body (the list's filters, the ID number and phone
        among them) so that no identity number travels in an address; pages as the list's
        (`cursor`, `page_size` and `ordering` in the query string). Nothing is written."""
        data = search_filter_data(request.data)
        filterset = self.filterset_class(data=data, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        data = self.output_serializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=s.HouseholdOutput),
    retrieve=extend_schema(responses=s.HouseholdOutput),
    create=extend_schema(request=s.HouseholdCreateInput, responses={201: s.HouseholdOutput}),
    partial_update=extend_schema(request=s.HouseholdUpdateInput, responses=s.HouseholdOutput),
)
class HouseholdViewSet(CrudViewSet):
    queryset = Household.objects.all()
    filterset_class = filters.HouseholdFilter
    ordering_fields = {"id": "id", "number": "number"}
    carries_personal_data = True
    output_serializer = s.HouseholdOutput
    create_input, update_input = s.HouseholdCreateInput, s.HouseholdUpdateInput
    create_service = staticmethod(services.household_create)
    update_service = staticmethod(services.household_update)
    instance_kwarg = "household"
    action_permissions = {
        **CRUD_PERMISSIONS,
        "retrieve": VIEW_OR_OWN,
        "timeline": VIEW_OR_OWN,
        "add_member": CHANGE,
        "remove_member": CHANGE,
        "householder": CHANGE,
    }

    def get_queryset(self):
        members = Prefetch(
            "members",
            queryset=Resident.objects.visible_to(self.request.user).order_by("id"),
            to_attr="member_list",
        )
        return super().get_queryset().prefetch_related(members)

    def is_own(self, obj, scope) -> bool:
        return obj.pk in own_household_ids(scope)

    def _member_action(self, service, input_serializer, status=200):
        household = self.get_object()
        service(
            actor=self.request.user, household=household, request=self.request, **self.parse(input_serializer)
        )
        return self.out(self.get_queryset().get(pk=household.pk), status=status)

    @extend_schema(request=s.MemberAddInput, responses=s.HouseholdOutput)
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request, pk=None):
        return self._member_action(services.household_add_member, s.MemberAddInput)

    @extend_schema(request=s.MemberRemoveInput, responses=s.HouseholdOutput)
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, pk=None):
        return self._member_action(services.household_remove_member, s.MemberRemoveInput)

    @extend_schema(request=s.HouseholderInput, responses=s.HouseholdOutput)
    @action(detail=True, methods=["post"])
    def householder(self, request, pk=None):
        return self._member_action(services.household_set_householder, s.HouseholderInput)

    @extend_schema(responses=s.TimelineEntryOutput(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request, pk=None):
        """The household file (一户一档): every recorded change and domain entry, newest first,
        in keyset pages (`cursor`, `page_size`). `total` is exact on the last page; before it,
        the entries known so far, flagged `total_is_estimate`."""
        household = self.get_object()
        paginator = self.paginator
        page = household_timeline_page(
            household,
            user=request.user,
            page_size=paginator.page_size_of(request),
            cursor=paginator.cursor_payload(request),
        )
        return paginator.prepared_response(
            request,
            s.TimelineEntryOutput(page.entries, many=True).data,
            next_payload=page.next_cursor,
            total=page.total,
            total_is_estimate=page.total_is_estimate,
        )


class TagKindOutput(s.serializers.Serializer):
    key = s.serializers.CharField()
    name = s.serializers.CharField()
    derived = s.serializers.BooleanField()
    category = s.serializers.CharField()


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=s.ResidentTagOutput),
    retrieve=extend_schema(responses=s.ResidentTagOutput),
)
class ResidentTagViewSet(ResourceViewSet):
    queryset = ResidentTag.objects.select_related("resident", "assigned_by")
    filterset_class = filters.ResidentTagFilter
    ordering_fields = {"id": "id", "started_on": "started_on"}
    carries_personal_data = True
    output_serializer = s.ResidentTagOutput
    action_permissions = {"list": VIEW, "retrieve": VIEW, "kinds": VIEW, "create": CHANGE, "end": CHANGE}

    @extend_schema(request=s.TagAssignInput, responses={201: s.ResidentTagOutput})
    def create(self, request):
        data = self.parse(s.TagAssignInput)
        resident = get_in_scope(
            Resident.objects.all(),
            data.pop("resident"),
            actor=request.user,
            permission="registry.change",
            field="resident",
        )
        tag = services.tag_assign(actor=request.user, resident=resident, request=request, **data)
        return self.out(tag, status=201)

    @extend_schema(request=s.TagEndInput, responses=s.ResidentTagOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        tag = self.get_object()
        return self.out(
            services.tag_end(
                actor=request.user, resident_tag=tag, request=request, **self.parse(s.TagEndInput)
            )
        )

    @extend_schema(responses=TagKindOutput(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def kinds(self, request):
        """Every tag kind declared through the extension contract (assigned and derived): a
        fixed set, one array."""
        kinds = [
            {"key": k.key, "name": str(k.name), "derived": k.derived, "category": k.category}
            for k in sorted(tag_kinds().values(), key=lambda k: k.key)
        ]
        return self.out(kinds, serializer=TagKindOutput, many=True)


class TransferPermission(RolePermission):
    """Both sides see a transfer: the sender's subtree or the receiver's."""

    def has_object_permission(self, request, view, obj) -> bool:
        needed = view.permission_for(view.action)
        scope = view.scope
        return any(scope.covers(obj.from_path, p) or scope.covers(obj.to_path, p) for p in needed)


@extend_schema(tags=["registry"])
@extend_schema_view(
    list=extend_schema(responses=s.TransferOutput), retrieve=extend_schema(responses=s.TransferOutput)
)
class TransferViewSet(ResourceViewSet):
    queryset = Transfer.objects.select_related("resident", "from_region", "to_region")
    permission_classes = [TransferPermission]
    filterset_class = filters.TransferFilter
    ordering_fields = {"id": "id", "requested_at": "requested_at"}
    default_ordering = "-id"
    carries_personal_data = True
    output_serializer = s.TransferOutput
    action_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "complete": ("registry.transfer",),
        "reject": ("registry.transfer",),
    }

    @extend_schema(request=s.TransferCompleteInput, responses=s.TransferOutput)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Done by the receiving community or a common supervisor; moves the resident."""
        transfer = services.transfer_complete(
            actor=request.user,
            transfer=self.get_object(),
            request=request,
            **self.parse(s.TransferCompleteInput),
        )
        return self.out(self.get_queryset().get(pk=transfer.pk))

    @extend_schema(request=s.TransferRejectInput, responses=s.TransferOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        transfer = services.transfer_reject(
            actor=request.user,
            transfer=self.get_object(),
            request=request,
            **self.parse(s.TransferRejectInput),
        )
        return self.out(self.get_queryset().get(pk=transfer.pk))
