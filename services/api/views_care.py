"""Aging adaptation, home services, social work and the service directory:
/api/v1/services/{retrofits,home-services,providers,orders,stations,cases,directory,requests}/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser

from core.api.errors import NotFound
from core.api.files import DOWNLOAD_RESPONSES, UPLOAD_REQUEST, download, the_upload
from core.api.viewsets import ResourceViewSet
from core.workflow.attachments import attachment_open
from services import homecare, retrofits, selectors, social
from services.api import serializers as s
from services.contributions import MANAGE, SERVE, VIEW, VIEW_OWN
from services.filters import HomeOrderFilter, RetrofitFilter, SocialCaseFilter
from services.models import (
    DirectoryEntry,
    HomeOrder,
    HomeService,
    Provider,
    Retrofit,
    ServiceRequest,
    SocialCase,
    Station,
)

READ = (VIEW,)
WRITE = (MANAGE,)


@extend_schema(tags=["services"])
class RetrofitViewSet(ResourceViewSet):
    """POST opens a household's plan (assessment first); `step` signs off a stage."""

    queryset = Retrofit.objects.all()
    output_serializer = s.RetrofitOutput
    filterset_class = RetrofitFilter
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "step": WRITE,
        "photos": WRITE,
        "photo": READ,
    }

    def get_queryset(self):
        return (
            Retrofit.objects.visible_to(self.request.user, VIEW)
            .select_related("event")
            .prefetch_related("stages", "event__attachments")
        )

    @extend_schema(request=s.RetrofitInput, responses={201: s.RetrofitOutput})
    def create(self, request):
        retrofit = retrofits.retrofit_open(actor=request.user, request=request, **self.parse(s.RetrofitInput))
        return self.out(self.get_queryset().get(pk=retrofit.pk), status=201)

    @extend_schema(request=s.RetrofitStepInput, responses=s.RetrofitOutput)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        retrofit = retrofits.retrofit_step(
            actor=request.user, retrofit=self.get_object(), request=request, **self.parse(s.RetrofitStepInput)
        )
        return self.out(self.get_queryset().get(pk=retrofit.pk))

    @extend_schema(
        request=UPLOAD_REQUEST,
        responses={201: s.RetrofitPhotoOutput},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        """A photo of the stage the plan is at (JPEG, PNG, WebP or PDF; 20 a plan)."""
        retrofit = self.get_object()
        upload = the_upload(request)
        photo = retrofits.retrofit_photo_add(
            actor=request.user, retrofit=retrofit, upload=upload, request=request
        )
        return self.out(photo, serializer=s.RetrofitPhotoOutput, status=201)

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<attachment_id>\d+)")
    def photo(self, request, pk=None, attachment_id=None):
        """Download one photo (audited)."""
        found = retrofits.retrofit_photos(self.get_object()).filter(pk=attachment_id).first()
        if found is None:
            raise NotFound()
        return download(attachment_open(attachment=found, actor=request.user, request=request), found)


@extend_schema(tags=["services"])
class HomeServiceViewSet(ResourceViewSet):
    """The catalogue of home services (one for the platform)."""

    queryset = HomeService.objects.all()
    output_serializer = s.HomeServiceOutput
    action_permissions = {"list": (VIEW, SERVE), "retrieve": (VIEW, SERVE)}

    def get_queryset(self):
        return HomeService.objects.all()

    def check_object_permissions(self, request, obj):
        """A catalogue entry has no place: reading it needs the permission alone."""


@extend_schema(tags=["services"])
class ProviderViewSet(ResourceViewSet):
    queryset = Provider.objects.all()
    output_serializer = s.ProviderOutput
    action_permissions = {"list": READ, "retrieve": READ}

    def get_queryset(self):
        return Provider.objects.visible_to(self.request.user, VIEW)


@extend_schema(tags=["services"])
class HomeOrderViewSet(ResourceViewSet):
    """Orders: staff see their scope's, a provider's worker the provider's own, a resident their
    household's (and rates the visit)."""

    queryset = HomeOrder.objects.all()
    output_serializer = s.HomeOrderOutput
    filterset_class = HomeOrderFilter
    carries_personal_data = True
    action_permissions = {
        "list": (VIEW, SERVE),
        "retrieve": (VIEW, SERVE, VIEW_OWN),
        "create": WRITE,
        "check_in": (MANAGE, SERVE),
        "check_out": (MANAGE, SERVE),
        "rate": (MANAGE, VIEW_OWN),
    }

    def get_queryset(self):
        return selectors.orders_visible_to(self.request.user).select_related("resident", "service", "visit")

    def is_own(self, obj, scope) -> bool:
        return obj in selectors.orders_visible_to(self.request.user)

    @extend_schema(request=s.HomeOrderInput, responses={201: s.HomeOrderOutput})
    def create(self, request):
        return self.out(
            homecare.order_create(actor=request.user, request=request, **self.parse(s.HomeOrderInput)),
            status=201,
        )

    @extend_schema(request=s.PositionInput, responses=s.HomeOrderOutput)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        order = self.get_object()
        homecare.visit_check_in(
            actor=request.user, order=order, request=request, **self.parse(s.PositionInput)
        )
        return self.out(self.get_queryset().get(pk=order.pk))

    @extend_schema(request=s.PositionInput, responses=s.HomeOrderOutput)
    @action(detail=True, methods=["post"], url_path="check-out", url_name="check-out")
    def check_out(self, request, pk=None):
        order = self.get_object()
        homecare.visit_check_out(
            actor=request.user, order=order, request=request, **self.parse(s.PositionInput)
        )
        return self.out(self.get_queryset().get(pk=order.pk))

    @extend_schema(request=s.VisitRatingInput, responses=s.HomeOrderOutput)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        order = self.get_object()
        homecare.visit_rate(
            actor=request.user, order=order, request=request, **self.parse(s.VisitRatingInput)
        )
        return self.out(self.get_queryset().get(pk=order.pk))


@extend_schema(tags=["services"])
class StationViewSet(ResourceViewSet):
    queryset = Station.objects.all()
    output_serializer = s.StationOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "workers": WRITE}

    def get_queryset(self):
        return selectors.stations_visible_to(self.request.user)

    def _detail(self, station, status=200):
        station = Station.objects.prefetch_related("workers__user").get(pk=station.pk)
        return self.out(station, serializer=s.StationDetailOutput, status=status)

    @extend_schema(responses=s.StationDetailOutput)
    def retrieve(self, request, pk=None):
        """The station with its social workers and their qualifications."""
        return self._detail(self.get_object())

    @extend_schema(request=s.StationInput, responses={201: s.StationDetailOutput})
    def create(self, request):
        station = social.station_create(actor=request.user, request=request, **self.parse(s.StationInput))
        return self._detail(station, status=201)

    @extend_schema(request=s.SocialWorkerInput, responses={201: s.StationDetailOutput})
    @action(detail=True, methods=["post"])
    def workers(self, request, pk=None):
        """A social worker joins the station."""
        station = self.get_object()
        social.station_worker_add(
            actor=request.user, station=station, request=request, **self.parse(s.SocialWorkerInput)
        )
        return self._detail(station, status=201)


@extend_schema(tags=["services"])
class SocialCaseViewSet(ResourceViewSet):
    """Cases; those involving minors only for the roles that may see minors' records."""

    queryset = SocialCase.objects.all()
    output_serializer = s.SocialCaseOutput
    filterset_class = SocialCaseFilter
    carries_personal_data = True
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "entries": WRITE}

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).select_related("resident")

    @extend_schema(request=s.SocialCaseInput, responses={201: s.SocialCaseOutput})
    def create(self, request):
        return self.out(
            social.case_open(actor=request.user, request=request, **self.parse(s.SocialCaseInput)), status=201
        )

    @extend_schema(request=s.CaseEntryInput, responses={201: s.CaseEntryOutput})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        entry = social.case_write(
            actor=request.user, case=self.get_object(), request=request, **self.parse(s.CaseEntryInput)
        )
        return self.out(entry, serializer=s.CaseEntryOutput, status=201)


@extend_schema(tags=["services"])
class DirectoryViewSet(ResourceViewSet):
    """The service directory residents read: what each service is, who may use it, its cost,
    how to ask."""

    queryset = DirectoryEntry.objects.all()
    output_serializer = s.DirectoryEntryOutput
    action_permissions = {"list": (VIEW, VIEW_OWN), "retrieve": (VIEW, VIEW_OWN)}

    def get_queryset(self):
        return DirectoryEntry.objects.filter(active=True)

    def check_object_permissions(self, request, obj):
        """A directory entry has no place: reading it needs the permission alone."""


@extend_schema(tags=["services"])
class ServiceRequestViewSet(ResourceViewSet):
    """A resident's requests (their own), staff's of their scope; POST asks (an event)."""

    queryset = ServiceRequest.objects.all()
    output_serializer = s.ServiceRequestOutput
    action_permissions = {"list": (VIEW, VIEW_OWN), "retrieve": (VIEW, VIEW_OWN), "create": (VIEW_OWN,)}

    def get_queryset(self):
        user = self.request.user
        rows = ServiceRequest.objects.visible_to(user, VIEW) | ServiceRequest.objects.visible_to(
            user, VIEW_OWN
        )
        return rows.select_related("entry", "event")

    def is_own(self, obj, scope) -> bool:
        return obj.resident_id in scope.resident_ids

    @extend_schema(request=s.ServiceRequestInput, responses={201: s.ServiceRequestOutput})
    def create(self, request):
        return self.out(
            social.service_request(actor=request.user, request=request, **self.parse(s.ServiceRequestInput)),
            status=201,
        )
