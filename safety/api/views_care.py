"""The two lists: /api/v1/safety/care-recipients/ (safety.care) and /api/v1/safety/key-persons/
(safety.key_persons, held only by the assigned community worker and the office's liaison).
Both are masked; each read of a detail is audited."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.viewsets import ResourceViewSet
from safety import care
from safety.api import serializers_care as s
from safety.models import CareRecipient, KeyPerson

CARE = ("safety.care",)
KEY_PERSONS = ("safety.key_persons",)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.CareRecipientOutput),
    retrieve=extend_schema(responses=s.CareRecipientOutput),
    create=extend_schema(request=s.CareRecipientInput, responses={201: s.CareRecipientOutput}),
    contacts=extend_schema(request=s.CareContactInput, responses={201: s.CareContactOutput}),
)
class CareRecipientViewSet(ResourceViewSet):
    queryset = CareRecipient.objects.all()
    output_serializer = s.CareRecipientOutput
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"*": CARE}

    def get_queryset(self):
        return CareRecipient.objects.visible_to(self.request.user, "safety.care").select_related("resident")

    def retrieve(self, request, pk=None):
        recipient = self.get_object()
        care.detail_read(actor=request.user, record=recipient, request=request)
        return self.out(recipient)

    def create(self, request):
        recipient = care.care_recipient_add(
            actor=request.user, request=request, **self.parse(s.CareRecipientInput)
        )
        return self.out(self.get_queryset().get(pk=recipient.pk), status=201)

    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        contact = care.care_contact_record(
            actor=request.user, recipient=self.get_object(), request=request, **self.parse(s.CareContactInput)
        )
        return self.out(contact, serializer=s.CareContactOutput, status=201)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.KeyPersonOutput),
    retrieve=extend_schema(responses=s.KeyPersonDetailOutput),
    create=extend_schema(request=s.KeyPersonInput, responses={201: s.KeyPersonOutput}),
    visits=extend_schema(request=s.KeyPersonVisitInput, responses={201: s.KeyPersonVisitOutput}),
)
class KeyPersonViewSet(ResourceViewSet):
    queryset = KeyPerson.objects.all()
    output_serializer = s.KeyPersonOutput
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"*": KEY_PERSONS}

    def get_queryset(self):
        return KeyPerson.objects.visible_to(self.request.user, "safety.key_persons").select_related(
            "resident"
        )

    def retrieve(self, request, pk=None):
        person = self.get_object()
        care.detail_read(actor=request.user, record=person, request=request)
        return self.out(person, serializer=s.KeyPersonDetailOutput)

    def create(self, request):
        person = care.key_person_add(actor=request.user, request=request, **self.parse(s.KeyPersonInput))
        return self.out(self.get_queryset().get(pk=person.pk), status=201)

    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        visit = care.key_person_visit_record(
            actor=request.user, person=self.get_object(), request=request, **self.parse(s.KeyPersonVisitInput)
        )
        return self.out(visit, serializer=s.KeyPersonVisitOutput, status=201)
