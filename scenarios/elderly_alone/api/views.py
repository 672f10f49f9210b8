import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.viewsets import ResourceViewSet
from core.extensions.scenario_api import ScenarioResourceMixin
from scenarios.elderly_alone import services
from scenarios.elderly_alone.api.serializers import CareCaseCloseInput, CareCaseOutput
from scenarios.elderly_alone.models import CareCase


class CareCaseFilter(django_filters.FilterSet):
    class Meta:
        model = CareCase
        fields = ("state", "step", "outcome", "device")


@extend_schema(tags=["scenarios"])
class CareCaseViewSet(ScenarioResourceMixin, ResourceViewSet):
    scenario_key = "elderly_alone"
    queryset = CareCase.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = CareCaseOutput
    filterset_class = CareCaseFilter
    carries_personal_data = True
    action_permissions = {
        "list": ("elderly_alone.view",),
        "retrieve": ("elderly_alone.view",),
        "close": ("elderly_alone.handle",),
    }

    def get_queryset(self):
        return CareCase.objects.visible_to(self.request.user, "elderly_alone.view").filter(self.enabled_q())

    @extend_schema(request=CareCaseCloseInput, responses=CareCaseOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.parse(CareCaseCloseInput)
        case = services.case_close(
            actor=request.user,
            case=self.get_object(),
            outcome=data["outcome"],
            reason=data["reason"],
            request=request,
        )
        return self.out(case)
