"""Venues and activities: /api/v1/services/{rooms,bookings,activities}/."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.viewsets import ResourceViewSet
from services import venues
from services.api import serializers as s
from services.contributions import MANAGE, VIEW
from services.filters import BookingFilter
from services.models import Activity, Booking, Room

READ = (VIEW,)
WRITE = (MANAGE,)


@extend_schema(tags=["services"])
class RoomViewSet(ResourceViewSet):
    queryset = Room.objects.all()
    output_serializer = s.RoomOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return Room.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=s.RoomInput, responses={201: s.RoomOutput})
    def create(self, request):
        return self.out(
            venues.room_create(actor=request.user, request=request, **self.parse(s.RoomInput)), status=201
        )


@extend_schema(tags=["services"])
class BookingViewSet(ResourceViewSet):
    queryset = Booking.objects.all()
    output_serializer = s.BookingOutput
    filterset_class = BookingFilter
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "cancel": WRITE}

    def get_queryset(self):
        return Booking.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=None, responses=s.BookingOutput)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the booking (before it ends): the room's time is free again."""
        return self.out(venues.booking_cancel(actor=request.user, booking=self.get_object(), request=request))

    @extend_schema(request=s.BookingInput, responses={201: s.BookingOutput})
    def create(self, request):
        return self.out(
            venues.booking_create(actor=request.user, request=request, **self.parse(s.BookingInput)),
            status=201,
        )


@extend_schema(tags=["services"])
class ActivityViewSet(ResourceViewSet):
    queryset = Activity.objects.all()
    output_serializer = s.ActivityOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "signup": WRITE}

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user, VIEW).annotate(signed_up=Count("signups"))

    @extend_schema(request=s.ActivityInput, responses={201: s.ActivityOutput})
    def create(self, request):
        return self.out(
            venues.activity_create(actor=request.user, request=request, **self.parse(s.ActivityInput)),
            status=201,
        )

    @extend_schema(request=s.ActivitySignupInput, responses={201: s.ActivitySignupOutput})
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        signup = venues.activity_signup(
            actor=request.user,
            activity=self.get_object(),
            request=request,
            **self.parse(s.ActivitySignupInput),
        )
        return self.out(signup, serializer=s.ActivitySignupOutput, status=201)
