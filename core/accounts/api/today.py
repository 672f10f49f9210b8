"""GET /api/v1/accounts/me/today/: what is due for the caller now, from every app's provider."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.accounts.today import TODAY_LIMIT, today_for
from core.api.fields import MaskedTextField
from core.api.viewsets import NoStoreMixin


class TodayItemOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="What it is: workflow.event, affairs.application, …")
    object_id = serializers.CharField()
    region_path = serializers.CharField()
    title = MaskedTextField()
    due_at = serializers.DateTimeField(allow_null=True, help_text="Deadline; null when none is set yet")
    overdue = serializers.BooleanField()
    url = serializers.CharField(help_text="Where the item itself is read and acted on")


class TodayOutput(serializers.Serializer):
    results = TodayItemOutput(many=True)
    limit = serializers.IntegerField(help_text="The most items the list holds")
    truncated = serializers.BooleanField(help_text="More was due than the list holds")


class TodayView(NoStoreMixin, APIView):
    """What is due for you now: events assigned to you that fall due today or are overdue, work
    waiting for your role at your places (events, applications at your level, re-checks), and
    what each domain adds. Overdue first, then by deadline; at most `limit` items (`truncated`
    says there were more: the parts' own lists hold everything). Only what you may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["accounts"], summary="Your list for today", responses=TodayOutput)
    def get(self, request):
        items, truncated = today_for(request.user, limit=TODAY_LIMIT)
        body = {"results": [item.as_dict() for item in items], "limit": TODAY_LIMIT, "truncated": truncated}
        return Response(TodayOutput(body).data)
