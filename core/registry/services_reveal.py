"""Full values of personal data, for a stated purpose: a resident's document number, phones and a
minor's name; a contact's phone. Each read writes its audit row first, in the same transaction:
if the row cannot be written, nothing is read (issue 4).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import field_error
from core.audit.services import audit_record
from core.registry.errors import RegistryError
from core.registry.minors import is_minor
from core.registry.models import Contact, Resident


def _purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise field_error(
            "purpose", _("State why you need the full values."), code=RegistryError.PURPOSE_REQUIRED
        )
    return purpose


REVEALABLE = {
    "document_number": "document_number_encrypted",
    "mobile": "mobile_encrypted",
    "landline": "landline_encrypted",
    "name": "name",
}


def masked_fields(resident: Resident) -> tuple[str, ...]:
    """What outputs hide of this resident: document and phones, and the name of a minor."""
    return ("document_number", "mobile", "landline", *(("name",) if is_minor(resident.birth_date) else ()))


@transaction.atomic
def resident_reveal(*, actor, resident: Resident, purpose: str, fields=None, request=None) -> dict[str, str]:
    """The full values, by default every one the outputs mask for this resident."""
    purpose = _purpose(purpose)
    fields = tuple(fields) if fields else masked_fields(resident)
    unknown = sorted(set(fields) - set(REVEALABLE))
    if unknown:
        raise field_error("fields", _("Choose one of the listed values."))
    audit_record(
        actor=actor,
        action="registry.resident.reveal",
        target=resident,
        purpose=purpose,
        extra={"fields": sorted(fields)},
        request=request,
    )
    fresh = Resident.objects.only(*REVEALABLE.values(), "region_path").get(pk=resident.pk)
    return {name: getattr(fresh, REVEALABLE[name]) or "" for name in fields}


@transaction.atomic
def contact_reveal(*, actor, contact: Contact, purpose: str, request=None) -> dict[str, str]:
    """The contact's full phone, to call them (a linked resident's own when none was typed)."""
    purpose = _purpose(purpose)
    audit_record(
        actor=actor,
        action="registry.contact.reveal",
        target=contact.resident,
        purpose=purpose,
        extra={"contact_id": contact.pk, "fields": ["phone"]},
        request=request,
    )
    fresh = Contact.objects.select_related("contact_resident").get(pk=contact.pk)
    linked = fresh.contact_resident
    return {
        "phone": fresh.phone_encrypted
        or (linked.mobile_encrypted or linked.landline_encrypted if linked else "")
    }
