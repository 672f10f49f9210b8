"""Social organizations, 公益创投 rounds, committee elections and upstream report forms under
/api/v1/governance/. Reviewers' scoring, funding, milestones, candidates, proxies and counts are
services (governance.ventures, governance.elections) tested on their own."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from governance import burden, elections, ventures
from governance.api import serializers_more as s
from governance.contributions import MANAGE, VIEW
from governance.filters import ElectionFilter, OrganizationFilter, RoundFilter
from governance.models import Election, SocialOrganization, UpstreamForm, VentureRound

READ = (VIEW,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@extend_schema(tags=["governance"])
class OrganizationViewSet(ResourceViewSet):
    queryset = SocialOrganization.objects.all()
    output_serializer = s.SocialOrganizationOutput
    filterset_class = OrganizationFilter
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "create": (MANAGE,)}

    @extend_schema(request=s.SocialOrganizationInput, responses={201: s.SocialOrganizationOutput})
    def create(self, request):
        data = self.parse(s.SocialOrganizationInput)
        return self.out(
            ventures.organization_register(actor=request.user, request=request, **data), status=201
        )


@extend_schema(tags=["governance"])
class VentureRoundViewSet(ResourceViewSet):
    queryset = VentureRound.objects.all()
    output_serializer = s.VentureRoundOutput
    filterset_class = RoundFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "*": (MANAGE,)}

    @extend_schema(request=s.VentureRoundInput, responses={201: s.VentureRoundOutput})
    def create(self, request):
        venture = ventures.round_open(actor=request.user, request=request, **self.parse(s.VentureRoundInput))
        return self.out(venture, status=201)

    @extend_schema(request=s.VentureApplicationInput, responses={201: s.VentureApplicationOutput})
    @action(detail=True, methods=["post"])
    def applications(self, request, pk=None):
        venture = self.get_object()
        data = self.parse(s.VentureApplicationInput)
        organization = (
            SocialOrganization.objects.visible_to(request.user, MANAGE)
            .filter(pk=data.pop("organization"))
            .first()
        )
        if organization is None:
            raise not_found_in_payload("organization")
        application = ventures.venture_apply(
            actor=request.user, venture=venture, organization=organization, request=request, **data
        )
        return self.out(application, serializer=s.VentureApplicationOutput, status=201)


@extend_schema(tags=["governance"])
class ElectionViewSet(ResourceViewSet):
    queryset = Election.objects.all()
    output_serializer = s.ElectionOutput
    filterset_class = ElectionFilter
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "notice": READ, "*": (MANAGE,)}

    @extend_schema(request=s.ElectionInput, responses={201: s.ElectionOutput})
    def create(self, request):
        election = elections.election_announce(
            actor=request.user, request=request, **self.parse(s.ElectionInput)
        )
        return self.out(election, status=201)

    @extend_schema(request=None, responses=s.ElectionOutput)
    @action(detail=True, methods=["post"])
    def roll(self, request, pk=None):
        election = self.get_object()
        elections.roll_compile(actor=request.user, election=election, request=request)
        return self.out(election)

    @extend_schema(request=s.CandidateInput, responses={201: s.CandidateOutput})
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None):
        candidate = elections.candidate_nominate(
            actor=request.user, election=self.get_object(), request=request, **self.parse(s.CandidateInput)
        )
        return self.out(candidate, serializer=s.CandidateOutput, status=201)

    @extend_schema(request=s.ProxyInput, responses={201: s.ProxyOutput})
    @action(detail=True, methods=["post"])
    def proxies(self, request, pk=None):
        proxy = elections.proxy_authorize(
            actor=request.user, election=self.get_object(), request=request, **self.parse(s.ProxyInput)
        )
        return self.out(proxy, serializer=s.ProxyOutput, status=201)

    @extend_schema(request=s.BoxCountInput, responses={201: s.BoxCountOutput})
    @action(detail=True, methods=["post"])
    def counts(self, request, pk=None):
        count = elections.count_enter(
            actor=request.user, election=self.get_object(), request=request, **self.parse(s.BoxCountInput)
        )
        return self.out(count, serializer=s.BoxCountOutput, status=201)

    @extend_schema(request=None, responses=s.ElectionResultOutput)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        outcome = elections.result_declare(actor=request.user, election=self.get_object(), request=request)
        return self.out(outcome, serializer=s.ElectionResultOutput)

    @extend_schema(responses=s.ElectionNoticeOutput)
    @action(detail=True, methods=["get"])
    def notice(self, request, pk=None):
        return self.out(elections.public_notice(self.get_object()), serializer=s.ElectionNoticeOutput)


@extend_schema(tags=["governance"])
class UpstreamFormViewSet(ResourceViewSet):
    """The register of upstream report forms: one list for every office, not placed."""

    queryset = UpstreamForm.objects.prefetch_related("fields")
    output_serializer = s.UpstreamFormOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": READ, "retrieve": READ, "*": (MANAGE,)}

    def get_queryset(self):
        return self.queryset.all()

    def check_object_permissions(self, request, obj):
        # Not a placed resource: holding the permission anywhere is enough (checked per request).
        return None

    @extend_schema(request=s.UpstreamFormInput, responses={201: s.UpstreamFormOutput})
    def create(self, request):
        form = burden.form_register(actor=request.user, request=request, **self.parse(s.UpstreamFormInput))
        return self.out(form, status=201)

    @extend_schema(request=s.ReportInput, responses={(200, XLSX): bytes})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        form = self.get_object()
        report, content = burden.report_generate(
            actor=request.user, form=form, request=request, **self.parse(s.ReportInput)
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.xlsx"'
        return response
