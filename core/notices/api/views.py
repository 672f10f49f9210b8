"""/api/v1/notices/: list and catch-up, read state, unread count, websocket tickets, preferences.

The viewset subclasses ScopedViewSet for the one place where the queryset is restricted
(`Notice.objects.visible_to(user)`), but a notice belongs to the people it is addressed to, not to
a region a role may administer: any signed-in person may read their own notices, so the
permission is IsAuthenticated rather than a role permission over a subtree. Another person's
notice is simply not found (404). Marking read is the reader's own state, not a change to
governed data, so it is not audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.errors import NotFound
from core.api.viewsets import ScopedViewSet
from core.notices import selectors, services
from core.notices.api import serializers as s
from core.notices.models import Notice, NoticePreference
from core.notices.tickets import ticket_issue


@extend_schema_view(
    list=extend_schema(
        summary="My notices, newest first; or, with since, everything after a cursor (catch-up)",
        parameters=[s.NoticeListQueryInput],
        responses=s.NoticePageOutput,
    ),
    retrieve=extend_schema(summary="One notice", responses=s.NoticeOutput),
)
@extend_schema(tags=["notices"])
class NoticeViewSet(ScopedViewSet):
    queryset = Notice.objects.all()
    permission_classes = [IsAuthenticated]
    carries_personal_data = True
    serializer_class = s.NoticeOutput
    lookup_value_regex = r"\d+"
    filter_backends = []
    pagination_class = None  # the list pages by its own notice cursor (NoticePageOutput)

    def list(self, request):
        query = s.NoticeListQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows, has_more = selectors.notice_list(
            user=request.user,
            since=params.get("since"),
            before=params.get("before"),
            unread_only=params["unread"],
            limit=params.get("limit") or settings.NOTICE_PAGE_SIZE,
        )
        next_cursor = rows[-1].cursor if rows and has_more else None
        if "since" in params and rows:
            # Catch-up: the client keeps the last cursor it saw, more or not.
            next_cursor = rows[-1].cursor
        return Response(
            {
                "results": s.NoticeOutput(rows, many=True).data,
                "has_more": has_more,
                "next_cursor": next_cursor,
            }
        )

    def retrieve(self, request, pk=None):
        notice = self._visible(lambda: selectors.notice_get(user=request.user, notice_id=int(pk)))
        return Response(s.NoticeOutput(notice).data)

    @extend_schema(summary="Mark one notice read", request=None, responses=s.UnreadCountOutput)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        self._visible(lambda: services.notice_mark_read(user=request.user, notice_id=int(pk)))
        return Response(self._counts(request.user))

    @extend_schema(
        summary="Mark everything read up to a cursor",
        request=s.ReadAllInput,
        responses=s.ReadAllOutput,
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        data = s.ReadAllInput(data=request.data)
        data.is_valid(raise_exception=True)
        read_through = services.notice_mark_all_read(
            user=request.user, up_to=data.validated_data.get("up_to")
        )
        return Response({"read_through": read_through, "unread": selectors.unread_count(user=request.user)})

    @extend_schema(summary="How many notices are unread", responses=s.UnreadCountOutput)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response(self._counts(request.user))

    @extend_schema(
        summary="A single-use ticket (60 s) to authenticate the websocket /ws/notices/",
        description=(
            'Send it as the first message: {"type": "auth", "ticket": "…"}. Tokens never go in URLs. '
            'A client holding the access token may send it instead: {"type": "auth", "token": "…"}.'
        ),
        request=None,
        responses={201: s.WebsocketTicketOutput},
    )
    @action(detail=False, methods=["post"], url_path="ws-ticket")
    def ws_ticket(self, request):
        ticket = ticket_issue(user=request.user)
        return Response(
            {"ticket": ticket, "expires_in": settings.NOTICE_WS_TICKET_TTL_SECONDS},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"], summary="My delivery preferences", responses=s.NoticePreferenceOutput(many=True)
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set my channels for one kind (an empty kind: every kind)",
        request=s.NoticePreferenceInput,
        responses=s.NoticePreferenceOutput,
    )
    @action(detail=False, methods=["get", "put"], url_path="preferences")
    def preferences(self, request):
        if request.method == "PUT":
            data = s.NoticePreferenceInput(data=request.data)
            data.is_valid(raise_exception=True)
            with transaction.atomic():
                preference = services.notice_preference_set(user=request.user, **data.validated_data)
            return Response(s.NoticePreferenceOutput(preference).data)
        rows = NoticePreference.objects.filter(user=request.user).order_by("kind")
        return Response(s.NoticePreferenceOutput(rows, many=True).data)

    @staticmethod
    def _visible(load):
        try:
            return load()
        except Notice.DoesNotExist:
            raise NotFound() from None

    @staticmethod
    def _counts(user) -> dict:
        return {
            "unread": selectors.unread_count(user=user),
            "latest_cursor": selectors.latest_cursor(user=user),
        }
