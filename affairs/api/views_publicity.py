"""The publicity list (公示) of government affairs.

GET  /api/v1/affairs/publicity/                  applications now publicly posted
POST /api/v1/affairs/publicity/{id}/objections/  a resident of that community objects
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.throttling import ScopedRateThrottle

from affairs import selectors
from affairs.api import serializers_publicity as s
from affairs.api.serializers import ObjectionOutput
from affairs.models import Application
from affairs.objections import objection_raise
from core.api.viewsets import ListViewSet
from core.regions.paths import under_any


@extend_schema(tags=["affairs"])
class PublicityViewSet(ListViewSet):
    """Applications in publicity, as posted in the community: names masked, no ID or phone
    numbers, the building without the room. Staff see those in their scope; a resident those of
    their own community, and may object to one of them."""

    queryset = Application.objects.all()
    output_serializer = s.PublicityOutput
    ordering_fields = {"id": "id", "publicity_ends_on": "publicity_ends_on"}
    lookup_value_regex = r"\d+"
    action_permissions = {"list": ("affairs.view", "affairs.view_own"), "objections": ("affairs.view_own",)}

    def _communities(self) -> list[str]:
        if not hasattr(self, "_community_cache"):
            ids = self.scope.resident_ids
            self._community_cache = selectors.community_paths(ids) if ids else []
        return self._community_cache

    def get_queryset(self):
        posted = selectors.publicity_posted_to(self.request.user, self._communities())
        if self.action == "objections":
            # Posted once: an application whose publicity has ended answers 409, not 404.
            return posted.filter(publicity_starts_on__isnull=False)
        return selectors.publicity_list(posted)

    def is_own(self, obj, scope) -> bool:
        return under_any(obj.region_path, self._communities())

    @extend_schema(request=s.PublicObjectionInput, responses={201: ObjectionOutput})
    @action(detail=True, methods=["post"], throttle_classes=[ScopedRateThrottle], throttle_scope="objection")
    def objections(self, request, pk=None):
        """Object to a publicly posted application (while its publicity runs; 409 after). One
        unsettled objection per person and application, and a rate limit per person."""
        application = self.get_object()
        data = self.parse(s.PublicObjectionInput)
        objection = objection_raise(
            application,
            content=data["content"],
            actor=request.user,
            one_open_per_person=True,
            request=request,
        )
        return self.out(objection, serializer=ObjectionOutput, status=201)
