"""Surveys: /api/v1/governance/surveys/. Residents answer the surveys addressed to where they
live, once; staff read results by region with small cells suppressed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from core.api.fields import MaskedJSONField
from core.api.viewsets import ResourceViewSet
from governance import surveys
from governance.api import serializers as s
from governance.contributions import MANAGE, TAKE_PART_OWN, VIEW, VIEW_OWN
from governance.filters import SurveyFilter
from governance.models import Survey
from governance.people import record_in


class SurveyResultsOutput(serializers.Serializer):
    k = serializers.IntegerField()
    respondents = serializers.IntegerField(allow_null=True)
    questions = MaskedJSONField()


@extend_schema(tags=["governance"])
class SurveyViewSet(ResourceViewSet):
    queryset = Survey.objects.all()
    output_serializer = s.SurveyOutput
    filterset_class = SurveyFilter
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": (VIEW, VIEW_OWN),
        "retrieve": (VIEW, VIEW_OWN),
        "answer": (TAKE_PART_OWN,),
        "results": (VIEW,),
        "*": (MANAGE,),
    }

    def is_own(self, obj, scope) -> bool:
        return record_in(self.request.user, obj.region_path) is not None

    def retrieve(self, request, *args, **kwargs):
        return self.out(self.get_object(), serializer=s.SurveyDetailOutput)

    @extend_schema(request=s.SurveyInput, responses={201: s.SurveyDetailOutput})
    def create(self, request):
        survey = surveys.survey_create(actor=request.user, request=request, **self.parse(s.SurveyInput))
        return self.out(survey, serializer=s.SurveyDetailOutput, status=201)

    @extend_schema(request=s.SurveyAnswerInput, responses={201: s.SurveyAnswerOutput})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        response = surveys.survey_answer(
            actor=request.user, survey=self.get_object(), request=request, **self.parse(s.SurveyAnswerInput)
        )
        return self.out(response, serializer=s.SurveyAnswerOutput, status=201)

    @extend_schema(responses=SurveyResultsOutput)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return self.out(surveys.survey_results(self.get_object()), serializer=SurveyResultsOutput)

    @extend_schema(request=None, responses=s.SurveyOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.out(surveys.survey_close(actor=request.user, survey=self.get_object(), request=request))
