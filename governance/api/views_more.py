"""Social organizations, 公益创投 rounds, committee elections and upstream report forms under
/api/v1/governance/. Reviewers' scoring, funding, milestones, candidates, proxies and counts are
services (governance.ventures, governance.elections) tested on their own."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.accounts.models import User
from core.api.errors import NotFound, not_found_in_payload
from core.api.viewsets import ResourceViewSet
from core.regions.paths import is_under
from core.registry.models import Resident
from governance import burden, elections, ventures
from governance.api import serializers_more as s
from governance.contributions import MANAGE, REVIEW, VIEW
from governance.filters import ElectionFilter, OrganizationFilter, RoundFilter
from governance.models import Election, SocialOrganization, UpstreamForm, VentureApplication, VentureRound

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
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "application_list": READ,
        "application": READ,
        "score": (REVIEW,),
        "reviews": (REVIEW,),
        "*": (MANAGE,),
    }

    def _application(self, application_id) -> VentureApplication:
        found = self.get_object().applications.filter(pk=application_id).first()
        if found is None:
            raise NotFound()
        return found

    def _detail(self, application: VentureApplication, status: int = 200):
        reviews = list(application.reviews.all())
        application.reviewers = len(reviews)
        application.scored = sum(1 for review in reviews if review.score is not None and not review.conflict)
        application.average_score = ventures.average_score(application)
        application.milestones_due = application.milestones.order_by("due_on", "id")
        return self.out(application, serializer=s.VentureApplicationDetailOutput, status=status)

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

    @extend_schema(responses=s.VentureApplicationOutput(many=True))
    @applications.mapping.get
    def application_list(self, request, pk=None):
        """The round's applications, in keyset pages."""
        return self.related_page(self.get_object().applications.all(), s.VentureApplicationOutput)

    @extend_schema(responses=s.VentureApplicationDetailOutput)
    @action(detail=True, methods=["get"], url_path=r"applications/(?P<application_id>\d+)")
    def application(self, request, pk=None, application_id=None):
        """One application with its reviews' summary (never a reviewer's own score) and milestones."""
        return self._detail(self._application(application_id))

    @extend_schema(request=s.ReviewerInput, responses={201: s.VentureApplicationDetailOutput})
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application_id>\d+)/reviewers")
    def reviewers(self, request, pk=None, application_id=None):
        """Assign a reviewer; the round moves to review with its first assignment."""
        application = self._application(application_id)
        reviewer = User.objects.filter(pk=self.parse(s.ReviewerInput)["reviewer"], is_active=True).first()
        if reviewer is None:
            raise not_found_in_payload("reviewer")
        ventures.reviewer_assign(
            actor=request.user, application=application, reviewer=reviewer, request=request
        )
        return self._detail(application, status=201)

    @extend_schema(request=s.ReviewInput, responses=s.ReviewOutput)
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application_id>\d+)/score")
    def score(self, request, pk=None, application_id=None):
        """The assigned reviewer's score (0–100), or their declared conflict of interest."""
        application = self._application(application_id)
        review = ventures.review_score(
            actor=request.user, application=application, request=request, **self.parse(s.ReviewInput)
        )
        return self.out(review, serializer=s.ReviewOutput)

    @extend_schema(responses=s.ReviewOutput(many=True))
    @action(detail=False, methods=["get"], filter_backends=[])  # the round filters do not apply
    def reviews(self, request):
        """The caller's own review assignments (a reviewer sees nothing else), in keyset pages."""
        return self.related_page(ventures.assignments_of(request.user), s.ReviewOutput)

    @extend_schema(request=s.FundInput, responses=s.VentureApplicationDetailOutput)
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application_id>\d+)/fund")
    def fund(self, request, pk=None, application_id=None):
        """Grant an amount (at most what was asked; the round's grants stay within its budget)."""
        application = self._application(application_id)
        ventures.venture_fund(
            actor=request.user, application=application, request=request, **self.parse(s.FundInput)
        )
        return self._detail(application)

    @extend_schema(request=s.MilestoneInput, responses={201: s.VentureApplicationDetailOutput})
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application_id>\d+)/milestones")
    def milestones(self, request, pk=None, application_id=None):
        """A milestone the funded project agreed to."""
        application = self._application(application_id)
        ventures.milestone_add(
            actor=request.user, application=application, request=request, **self.parse(s.MilestoneInput)
        )
        return self._detail(application, status=201)

    @extend_schema(request=s.MilestoneReportInput, responses=s.VentureApplicationDetailOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"applications/(?P<application_id>\d+)/milestones/(?P<milestone_id>\d+)/report",
        url_name="milestone-report",
    )
    def milestone_report(self, request, pk=None, application_id=None, milestone_id=None):
        """What the project did by the milestone."""
        application = self._application(application_id)
        milestone = application.milestones.filter(pk=milestone_id).first()
        if milestone is None:
            raise NotFound()
        ventures.milestone_report(
            actor=request.user, milestone=milestone, request=request, **self.parse(s.MilestoneReportInput)
        )
        return self._detail(application)

    @extend_schema(request=s.EvaluationInput, responses=s.VentureApplicationDetailOutput)
    @action(detail=True, methods=["post"], url_path=r"applications/(?P<application_id>\d+)/evaluate")
    def evaluate(self, request, pk=None, application_id=None):
        """The final evaluation, once every milestone is reported."""
        application = self._application(application_id)
        ventures.venture_evaluate(
            actor=request.user, application=application, request=request, **self.parse(s.EvaluationInput)
        )
        return self._detail(application)


@extend_schema(tags=["governance"])
class ElectionViewSet(ResourceViewSet):
    queryset = Election.objects.all()
    output_serializer = s.ElectionOutput
    filterset_class = ElectionFilter
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "notice": READ,
        "objection_list": READ,
        "*": (MANAGE,),
    }

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

    def _resident(self, election: Election, resident_id: int) -> Resident:
        """A resident of the election's place the caller sees (400 as if absent otherwise)."""
        found = Resident.objects.visible_to(self.request.user).filter(pk=resident_id).first()
        if found is None or not is_under(found.region_path, election.region_path):
            raise not_found_in_payload("resident")
        return found

    @extend_schema(request=s.RollAddInput, responses={201: s.RollEntryOutput})
    @action(detail=True, methods=["post"], url_path="roll-additions")
    def roll_additions(self, request, pk=None):
        """Add to the roll someone not registered here, living here long enough and approved by
        the meeting (the years are the province's rules)."""
        election = self.get_object()
        data = self.parse(s.RollAddInput)
        resident = self._resident(election, data["resident"])
        entry = elections.roll_add(
            actor=request.user,
            election=election,
            resident=resident,
            approved_by_meeting=data["approved_by_meeting"],
            request=request,
        )
        return self.out(entry, serializer=s.RollEntryOutput, status=201)

    @extend_schema(request=s.AwayInput, responses=s.RollEntryOutput)
    @action(detail=True, methods=["post"], url_path="away-declarations")
    def away_declarations(self, request, pk=None):
        """A registered voter living away declares whether they will vote (until voting day)."""
        election = self.get_object()
        data = self.parse(s.AwayInput)
        entry = elections.away_declare(
            actor=request.user,
            election=election,
            resident=self._resident(election, data["resident"]),
            will_vote=data["will_vote"],
            request=request,
        )
        return self.out(entry, serializer=s.RollEntryOutput)

    @extend_schema(request=s.ObjectionInput, responses={201: s.ObjectionOutput})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        """Record an objection to the published roll (within the province's days of publication)."""
        election = self.get_object()
        data = self.parse(s.ObjectionInput)
        resident = self._resident(election, data["resident"])
        objection = elections.objection_file(
            actor=request.user, election=election, resident=resident, content=data["content"], request=request
        )
        return self.out(objection, serializer=s.ObjectionOutput, status=201)

    @extend_schema(responses=s.ObjectionOutput(many=True))
    @objections.mapping.get
    def objection_list(self, request, pk=None):
        """The objections to the roll, newest first, in keyset pages."""
        return self.related_page(self.get_object().objections.all(), s.ObjectionOutput)

    @extend_schema(request=s.ObjectionDecideInput, responses=s.ObjectionOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection_id>\d+)/decide",
        url_name="objection-decide",
    )
    def objection_decide(self, request, pk=None, objection_id=None):
        """Decide an objection (within the province's days of its filing)."""
        objection = self.get_object().objections.filter(pk=objection_id).first()
        if objection is None:
            raise NotFound()
        decided = elections.objection_decide(
            actor=request.user, objection=objection, request=request, **self.parse(s.ObjectionDecideInput)
        )
        return self.out(decided, serializer=s.ObjectionOutput)

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

    @extend_schema(request=s.FurtherRoundInput, responses=s.FurtherRoundOutput)
    @action(detail=True, methods=["post"], url_path="further-round")
    def further_round(self, request, pk=None):
        """Open the further round (另行选举) for the seats the first round left empty; its counts
        and result then go through `counts/` and `result/` as the first round's did."""
        election = self.get_object()
        chosen = elections.further_round_open(
            actor=request.user, election=election, request=request, **self.parse(s.FurtherRoundInput)
        )
        return self.out(
            {"seats": election.further_seats, "candidates": chosen}, serializer=s.FurtherRoundOutput
        )

    @extend_schema(request=None, responses=s.HandoverOutput)
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        """Grant the new committee's roles and end the old ones in one step, once the result is
        final; a second call answers the same."""
        answer = elections.committee_handover(actor=request.user, election=self.get_object(), request=request)
        return self.out(answer, serializer=s.HandoverOutput)

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
