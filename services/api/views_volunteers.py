"""Volunteers, teams, service projects (备案) with sign-up and check-in/out, the hours ledger with
its rankings, and the certificate of hours: /api/v1/services/{volunteers,teams,projects,hours}/."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ResourceViewSet, mark_no_store
from services import selectors, timebank, volunteers
from services.api import serializers as s
from services.certificates import XLSX, certificate_print
from services.contributions import MANAGE, VIEW
from services.filters import HoursFilter, VolunteerFilter
from services.models import HoursEntry, ServiceProject, Team, TimeBank, Volunteer

READ = (VIEW,)
WRITE = (MANAGE,)


@extend_schema(tags=["services"])
class VolunteerViewSet(ResourceViewSet):
    queryset = Volunteer.objects.all()
    output_serializer = s.VolunteerOutput
    filterset_class = VolunteerFilter
    carries_personal_data = True
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "certificate": READ,
        "balance": READ,
        "create": WRITE,
        "draw": WRITE,
    }

    def get_queryset(self):
        return Volunteer.objects.visible_to(self.request.user, VIEW).select_related("resident")

    @extend_schema(request=s.VolunteerInput, responses={201: s.VolunteerOutput})
    def create(self, request):
        return self.out(
            volunteers.volunteer_register(
                actor=request.user, request=request, **self.parse(s.VolunteerInput)
            ),
            status=201,
        )

    @extend_schema(responses={(200, XLSX): OpenApiResponse(description="the certificate as a workbook")})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        volunteer = self.get_object()
        response = HttpResponse(
            certificate_print(actor=request.user, volunteer=volunteer, request=request), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="volunteer-hours-{volunteer.pk}.xlsx"'
        return mark_no_store(response)

    @extend_schema(responses=s.BalanceOutput)
    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        """The volunteer's time-bank balance (none where no time bank is run)."""
        return self.out(timebank.balance_of(self.get_object()), serializer=s.BalanceOutput)

    @extend_schema(request=s.TimeBankDrawInput, responses=s.BalanceOutput)
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        volunteer = self.get_object()
        timebank.time_bank_draw(
            actor=request.user, volunteer=volunteer, request=request, **self.parse(s.TimeBankDrawInput)
        )
        return self.out(timebank.balance_of(volunteer), serializer=s.BalanceOutput)


@extend_schema(tags=["services"])
class TimeBankViewSet(ResourceViewSet):
    queryset = TimeBank.objects.all()
    output_serializer = s.TimeBankOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return TimeBank.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=s.TimeBankInput, responses={201: s.TimeBankOutput})
    def create(self, request):
        return self.out(
            timebank.time_bank_open(actor=request.user, request=request, **self.parse(s.TimeBankInput)),
            status=201,
        )


@extend_schema(tags=["services"])
class TeamViewSet(ResourceViewSet):
    queryset = Team.objects.all()
    output_serializer = s.TeamOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return Team.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=s.TeamInput, responses={201: s.TeamOutput})
    def create(self, request):
        return self.out(
            volunteers.team_create(actor=request.user, request=request, **self.parse(s.TeamInput)), status=201
        )


@extend_schema(tags=["services"])
class ServiceProjectViewSet(ResourceViewSet):
    queryset = ServiceProject.objects.all()
    output_serializer = s.ServiceProjectOutput
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "signup": WRITE,
        "check_in": WRITE,
        "check_out": WRITE,
    }

    def get_queryset(self):
        return selectors.projects_visible_to(self.request.user)

    @extend_schema(request=s.ServiceProjectInput, responses={201: s.ServiceProjectOutput})
    def create(self, request):
        project = volunteers.project_file(
            actor=request.user, request=request, **self.parse(s.ServiceProjectInput)
        )
        return self.out(project, status=201)

    @extend_schema(request=s.SignupInput, responses={201: s.SignupOutput})
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        signup = volunteers.signup_create(
            actor=request.user, project=self.get_object(), request=request, **self.parse(s.SignupInput)
        )
        return self.out(signup, serializer=s.SignupOutput, status=201)

    @extend_schema(request=s.CheckInput, responses=s.SignupOutput)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        signup = volunteers.signup_check_in(
            actor=request.user, project=self.get_object(), request=request, **self.parse(s.CheckInput)
        )
        return self.out(signup, serializer=s.SignupOutput)

    @extend_schema(request=s.CheckInput, responses=s.HoursEntryOutput)
    @action(detail=True, methods=["post"], url_path="check-out", url_name="check-out")
    def check_out(self, request, pk=None):
        entry = volunteers.signup_check_out(
            actor=request.user, project=self.get_object(), request=request, **self.parse(s.CheckInput)
        )
        return Response(s.HoursEntryOutput(entry).data if entry is not None else None)


@extend_schema(tags=["services"])
class HoursViewSet(ResourceViewSet):
    """The one hours ledger: every line, whichever domain it came from; `ranking` per region."""

    queryset = HoursEntry.objects.all()
    output_serializer = s.HoursEntryOutput
    filterset_class = HoursFilter
    ordering_fields = {"id": "id", "served_on": "served_on"}
    action_permissions = {"list": READ, "retrieve": READ, "ranking": READ}

    def get_queryset(self):
        return HoursEntry.objects.visible_to(self.request.user, VIEW)

    @extend_schema(parameters=[s.RankingQueryInput], responses=s.RankingReportOutput)
    @action(detail=False, methods=["get"])
    def ranking(self, request):
        query = self.parse(s.RankingQueryInput, data=request.query_params)
        region = selectors.report_region(request.user, query.get("region"))
        rows = selectors.hours_ranking(region, year=query.get("year"))
        return Response(s.RankingReportOutput({"region": region.pk, "results": rows}).data)
