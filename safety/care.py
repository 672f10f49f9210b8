"""Writes of the two lists: care recipients and their contacts, key persons and their visits,
the audited read of a detail, and the daily check of missed contacts and visits.

A missed contact with a care recipient is a care signal (handed to the elderly-care scenario
where it is enabled for the place, else safety's own event). A missed visit to a key person is
an event for the community's assigned worker and a notice to the office's liaison. A key
person's record ends with their period (社区矫正期满, 安置帮教期满) and is then kept only as
the retention rule says.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.notices.services import notify
from core.regions.paths import ancestor_ids
from core.workflow.models import Event
from core.workflow.services import event_report
from safety.alarms import care_signal_send
from safety.errors import SafetyError
from safety.models import CareContact, CareRecipient, KeyPerson, KeyPersonVisit

CARE = "safety.care"
KEY_PERSONS = "safety.key_persons"
MISSED_VISIT = "safety.missed_visit"


def _resident(actor, resident_id: int, permission: str):
    from core.registry.models import Resident

    found = (
        Resident.objects.visible_to(actor, permission).select_related("region").filter(pk=resident_id).first()
    )
    if found is None:
        raise not_found_in_payload("resident")
    return found


def detail_read(*, actor, record, request=None) -> None:
    """Every read of a detail of either list is audited."""
    audit_record(actor=actor, action=f"safety.{record._meta.model_name}.read", target=record, request=request)


# care recipients ---------------------------------------------------------------------------------


def care_recipient_add(*, actor, resident: int, category: str, contact_every_days: int, request=None):
    person = _resident(actor, resident, CARE)
    if CareRecipient.objects.filter(resident=person, ended_on__isnull=True).exists():
        raise Conflict(_("This person is already on the list."), code=SafetyError.ALREADY_LISTED)
    with transaction.atomic():
        recipient = CareRecipient.objects.create(
            resident=person,
            category=category,
            contact_every_days=contact_every_days,
            next_contact_due=timezone.localdate() + timedelta(days=contact_every_days),
            region_id=person.region_id,
            region_path=person.region_path,
        )
        audit_record(
            actor=actor,
            action="safety.carerecipient.add",
            target=recipient,
            request=request,
            changes=created(category=category, contact_every_days=contact_every_days),
        )
    return recipient


def care_contact_record(*, actor, recipient: CareRecipient, way: str, note: str = "", request=None):
    now = timezone.now()
    with transaction.atomic():
        contact = CareContact.objects.create(
            recipient=recipient,
            contacted_at=now,
            way=way,
            note=note,
            by=actor,
            region_id=recipient.region_id,
            region_path=recipient.region_path,
        )
        recipient.next_contact_due = timezone.localdate() + timedelta(days=recipient.contact_every_days)
        recipient.save(update_fields=["next_contact_due", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.carecontact.record",
            target=contact,
            request=request,
            changes=created(recipient=recipient.pk, way=way),
        )
    return contact


# key persons ---------------------------------------------------------------------------------------


def key_person_add(
    *,
    actor,
    resident: int,
    category: str,
    office: str,
    assigned_worker: int,
    liaison: int,
    visit_every_days: int,
    period_ends_on: date,
    note: str = "",
    request=None,
):
    from core.accounts.models import RoleAssignment
    from safety.contributions import KEY_PERSON_LIAISON, KEY_PERSON_WORKER

    person = _resident(actor, resident, KEY_PERSONS)
    if period_ends_on <= timezone.localdate():
        raise field_error("period_ends_on", _("The period ends in the future."))
    # Both hold their role at a node above the person (the community, the street's office).
    holders = RoleAssignment.objects.current().filter(region_id__in=ancestor_ids(person.region_path))
    if not holders.filter(user_id=assigned_worker, role=KEY_PERSON_WORKER).exists():
        raise not_found_in_payload("assigned_worker")
    if not holders.filter(user_id=liaison, role=KEY_PERSON_LIAISON).exists():
        raise not_found_in_payload("liaison")
    with transaction.atomic():
        record = KeyPerson.objects.create(
            resident=person,
            category=category,
            office=office,
            assigned_worker_id=assigned_worker,
            liaison_id=liaison,
            visit_every_days=visit_every_days,
            period_ends_on=period_ends_on,
            note=note,
            next_visit_due=timezone.localdate() + timedelta(days=visit_every_days),
            region_id=person.region_id,
            region_path=person.region_path,
        )
        audit_record(
            actor=actor,
            action="safety.keyperson.add",
            target=record,
            request=request,
            changes=created(category=category, office=office, visit_every_days=visit_every_days),
        )
    return record


def key_person_visit_record(*, actor, person: KeyPerson, note: str = "", request=None):
    if person.ended_on is not None:
        raise Conflict(_("This record has ended with its period."), code=SafetyError.RECORD_ENDED)
    with transaction.atomic():
        visit = KeyPersonVisit.objects.create(
            person=person,
            visited_at=timezone.now(),
            note=note,
            by=actor,
            region_id=person.region_id,
            region_path=person.region_path,
        )
        person.next_visit_due = timezone.localdate() + timedelta(days=person.visit_every_days)
        person.save(update_fields=["next_visit_due", "updated_at"])
        audit_record(actor=actor, action="safety.keypersonvisit.record", target=visit, request=request)
    return visit


# the daily check ------------------------------------------------------------------------------------


def missed_contacts_check(*, today: date | None = None) -> dict[str, int]:
    """Signal each contact and visit missed (once per due date); end key persons' records whose
    period is over."""
    today = today or timezone.localdate()
    now = timezone.now()
    outcome = {"care": 0, "key_persons": 0, "ended": 0}
    with transaction.atomic():
        missed = CareRecipient.objects.select_for_update().filter(
            ended_on__isnull=True, next_contact_due__lt=today
        )
        for recipient in missed.exclude(missed_signalled_for=F("next_contact_due")):
            care_signal_send(
                region_path=recipient.region_path,
                resident_id=recipient.resident_id,
                at=now,
                source=f"safety.missed_contact:{recipient.pk}:{recipient.next_contact_due.isoformat()}",
                detail="missed_contact",
                signal="missed_contact",
            )
            recipient.missed_signalled_for = recipient.next_contact_due
            recipient.save(update_fields=["missed_signalled_for"])
            outcome["care"] += 1
        ended = KeyPerson.objects.current().filter(period_ends_on__lt=today)
        outcome["ended"] = ended.update(ended_on=today)
        late = (
            KeyPerson.objects.current()
            .select_for_update()
            .select_related("region", "resident")
            .filter(next_visit_due__lt=today)
            .exclude(missed_signalled_for=F("next_visit_due"))
        )
        for person in late:
            event_report(
                reporter=None,
                type_key=MISSED_VISIT,
                source=Event.Source.DOMAIN,
                title=_("Visit missed: due %(due)s") % {"due": person.next_visit_due.isoformat()},
                grid=person.region,
                external_ref=f"safety.key_person:{person.pk}",
            )
            notify(
                kind="safety.missed_visit",
                title=_("A visit the community owed was missed (due %(due)s)")
                % {"due": person.next_visit_due.isoformat()},
                user=person.liaison,
                link={
                    "type": "safety.key_person",
                    "id": person.pk,
                    "url": f"/api/v1/safety/key-persons/{person.pk}/",
                },
            )
            person.missed_signalled_for = person.next_visit_due
            person.save(update_fields=["missed_signalled_for"])
            outcome["key_persons"] += 1
    return outcome
