"""What OPTIONS answers: the actions a caller may take, described without reading an object.

DRF's SimpleMetadata checks a PUT against the object (`get_object()`), which a list-level action
such as /api/v1/notices/preferences/ does not have: every OPTIONS there was a 500. Describing an
action needs only the caller's permission for it; the object's scope is checked when the action
runs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request

# The input serializer a CrudViewSet declares per action (others answer with get_serializer()).
INPUTS = {"create": "create_input", "update": "update_input", "partial_update": "update_input"}


class ActionMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        actions = {}
        action_map = getattr(view, "action_map", None) or {}
        for method in sorted({"PUT", "POST"} & set(view.allowed_methods)):
            view.request = clone_request(request, method)
            view.action, previous = action_map.get(method.lower(), view.action), view.action
            try:
                view.check_permissions(view.request)
                actions[method] = self._describe(view)
            except (exceptions.APIException, PermissionDenied, Http404):
                pass
            finally:
                view.request, view.action = request, previous
        return actions

    def _describe(self, view) -> dict:
        declared = getattr(view, INPUTS.get(view.action, ""), None)
        if declared is not None:
            return self.get_serializer_info(declared())
        try:
            return self.get_serializer_info(view.get_serializer())
        except (AssertionError, TypeError):  # an action without a serializer of its own
            return {}
