"""Party organizations and members: /api/v1/party-building/organizations/, /members/

Organizations list with their figures and flags; members with the history of their relation.
Writes go to the services (party_building.organizations, party_building.members)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.viewsets import ResourceViewSet
from party_building import members, organizations, selectors
from party_building.api import serializers as s
from party_building.contributions import MANAGE, VIEW
from party_building.filters import MemberFilter, OrganizationFilter
from party_building.models import Member, Organization

READ = (VIEW,)
WRITE = (MANAGE,)


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.OrganizationOutput),
    retrieve=extend_schema(responses=s.OrganizationOutput),
    create=extend_schema(request=s.OrganizationInput, responses={201: s.OrganizationOutput}),
)
class OrganizationViewSet(ResourceViewSet):
    queryset = Organization.objects.all()
    output_serializer = s.OrganizationOutput
    filterset_class = OrganizationFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user, timezone.localdate())

    def create(self, request):
        made = organizations.organization_create(
            actor=request.user, request=request, **self.parse(s.OrganizationInput)
        )
        return self.out(self.get_queryset().get(pk=made.pk), status=201)


@extend_schema(tags=["party-building"])
@extend_schema_view(
    list=extend_schema(responses=s.MemberOutput),
    retrieve=extend_schema(responses=s.MemberDetailOutput),
    create=extend_schema(request=s.MemberInput, responses={201: s.MemberDetailOutput}),
)
class MemberViewSet(ResourceViewSet):
    queryset = Member.objects.all()
    output_serializer = s.MemberOutput
    filterset_class = MemberFilter
    lookup_value_regex = r"\d+"
    carries_personal_data = True
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "transfer": WRITE,
        "make_full": WRITE,
    }

    def get_queryset(self):
        return selectors.members_visible_to(self.request.user)

    def _detail(self, member):
        return self.out(
            self.get_queryset().prefetch_related("transfers").get(pk=member.pk),
            serializer=s.MemberDetailOutput,
        )

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        member = members.member_create(actor=request.user, request=request, **self.parse(s.MemberInput))
        response = self._detail(member)
        response.status_code = 201
        return response

    @extend_schema(request=s.TransferInput, responses=s.MemberDetailOutput)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Transfer the member's relation: here, out (with the letter) or back in."""
        member = self.get_object()
        members.member_transfer(
            actor=request.user, member=member, request=request, **self.parse(s.TransferInput)
        )
        return self._detail(member)

    @extend_schema(request=s.MakeFullInput, responses=s.MemberDetailOutput)
    @action(detail=True, methods=["post"], url_path="make-full")
    def make_full(self, request, pk=None):
        """The probationary member becomes full (not before the probation year ends)."""
        member = self.get_object()
        members.member_make_full(
            actor=request.user, member=member, request=request, **self.parse(s.MakeFullInput)
        )
        return self._detail(member)
