"""The platform's URLs plus one view naming a permission nobody declared (a typo of registry.view):
start-up must stop, naming it (tests/core/accounts/test_declared_roles.py)."""

from django.urls import include, path
from rest_framework import mixins

from core.api.viewsets import ScopedViewSet
from core.registry.models import Resident


class TypoViewSet(mixins.ListModelMixin, ScopedViewSet):
    queryset = Resident.objects.all()
    action_permissions = {"list": ("registry.veiw",)}


urlpatterns = [
    path("typo/", TypoViewSet.as_view({"get": "list"}), name="typo-list"),
    path("", include("config.urls")),
]
