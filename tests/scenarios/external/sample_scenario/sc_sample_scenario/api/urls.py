from django.urls import path
from rest_framework.response import Response

from core.api.viewsets import ScopedViewSet
from core.extensions.models import ScenarioEnablement
from core.extensions.scenario_api import require_enabled
from core.extensions.scenarios import scenario_settings_at


class GreetingViewSet(ScopedViewSet):
    queryset = ScenarioEnablement.objects.all()
    action_permissions = {"list": ("sample_scenario.view",)}

    def list(self, request):
        place = self.scope.paths_with("sample_scenario.view")[0]
        require_enabled("sample_scenario", place)
        return Response(
            {"greeting": scenario_settings_at("sample_scenario", place)["greeting"], "place": place}
        )


urlpatterns = [path("greetings/", GreetingViewSet.as_view({"get": "list"}), name="sample_scenario-greetings")]
