"""Party organizations and members: /api/v1/party-building/organizations/, /members/

Organizations list with their figures and flags; members with the history of their relation.
Writes go to the services (party_building.organizations, party_building.members)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from party_building import dues, members, organizations, selectors
from party_building.api import serializers as s
from party_building.api import serializers_dues as d
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
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "dues_arrears": READ,
        "officers": READ,
        "officer_appoint": WRITE,
    }

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user, timezone.localdate())

    @extend_schema(responses=s.OfficerOutput(many=True))
    @action(detail=True, methods=["get"])
    def officers(self, request, pk=None):
        """The committee posts, past terms included, the latest first, in keyset pages."""
        posts = self.get_object().officers.select_related("member__resident")
        return self.related_page(
            posts, s.OfficerOutput, ordering_fields={"starts_on": "starts_on"}, default_ordering="-starts_on"
        )

    @extend_schema(request=s.OfficerInput, responses={201: s.OfficerOutput})
    @officers.mapping.post
    def officer_appoint(self, request, pk=None):
        """A member of the organization takes a committee post (e.g. a secretary appointed by the
        higher committee); an election fills posts itself."""
        organization = self.get_object()
        data = self.parse(s.OfficerInput)
        member = selectors.managed(Member.objects.all(), request.user).filter(pk=data.pop("member")).first()
        if member is None:
            raise not_found_in_payload("member")
        officer = organizations.officer_appoint(
            actor=request.user, organization=organization, member=member, request=request, **data
        )
        return self.out(officer, serializer=s.OfficerOutput, status=201)

    @extend_schema(responses=d.ArrearsOutput)
    @action(detail=True, methods=["get"], url_path="dues-arrears")
    def dues_arrears(self, request, pk=None):
        """The organization's members who owe dues, the longest run of unpaid months first."""
        organization, today = self.get_object(), timezone.localdate()
        rows = [
            {"member": member.pk, "name": member.shown_name, "standing": standing}
            for member, standing in dues.arrears_of(organization, today)
        ]
        return self.out(
            {"organization": organization.pk, "as_of": today, "results": rows}, serializer=d.ArrearsOutput
        )

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
        "dues": READ,
        "dues_amount": WRITE,
        "dues_payments": READ,
        "dues_payment": WRITE,
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

    def _dues(self, member, status=200):
        amounts = list(member.dues_amounts.order_by("from_month"))
        standing = dues.standing_of(member, timezone.localdate(), amounts=amounts)
        data = {"member": member.pk, "amounts": amounts, "standing": standing}
        return self.out(data, serializer=d.MemberDuesOutput, status=status)

    @extend_schema(responses=d.MemberDuesOutput)
    @action(detail=True, methods=["get"])
    def dues(self, request, pk=None):
        """The member's monthly amounts and what they owe (months over and unpaid)."""
        return self._dues(self.get_object())

    @extend_schema(request=d.DuesAmountInput, responses={201: d.MemberDuesOutput})
    @action(detail=True, methods=["post"], url_path="dues-amount")
    def dues_amount(self, request, pk=None):
        """A new monthly amount from a month on (a new row: the earlier ones stay)."""
        member = self.get_object()
        dues.dues_amount_set(
            actor=request.user, member=member, request=request, **self.parse(d.DuesAmountInput)
        )
        return self._dues(member, status=201)

    @extend_schema(responses=d.DuesPaymentOutput(many=True))
    @action(detail=True, methods=["get"], url_path="dues-payments")
    def dues_payments(self, request, pk=None):
        """The months paid, newest first, in keyset pages."""
        payments = self.get_object().dues_payments.all()
        return self.related_page(
            payments, d.DuesPaymentOutput, ordering_fields={"month": "month"}, default_ordering="-month"
        )

    @extend_schema(request=d.DuesPaymentInput, responses={201: d.DuesPaymentOutput})
    @dues_payments.mapping.post
    def dues_payment(self, request, pk=None):
        """Record a month's dues received."""
        member = self.get_object()
        payment = dues.dues_payment_record(
            actor=request.user, member=member, request=request, **self.parse(d.DuesPaymentInput)
        )
        return self.out(payment, serializer=d.DuesPaymentOutput, status=201)
