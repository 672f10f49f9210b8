"""Writes to guardians and emergency contacts (for minors and for elderly people living alone).

A contact is either a resident of the register (`contact_resident`, visible to the caller) or a
name with a phone; its phone is validated like a resident's (mobile or landline) and stored
encrypted with a masked copy for display. Removing a contact deletes the row, audited with what
it held (masked).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, field_error, invalid_fields
from core.pii import masking
from core.pii.validators import validate_phone
from core.registry.audit_changes import audit_write, diff, removed, snapshot
from core.registry.errors import RegistryError
from core.registry.in_scope import get_in_scope
from core.registry.inputs import reject_unknown
from core.registry.models import Contact, Resident

VIEW = "registry.view"
CONTACT_FIELDS = ("kind", "contact_resident", "name", "relation", "phone")


def contact_phone_columns(phone: str) -> dict[str, str]:
    """The stored columns of a contact's phone (mobile or landline), validated and masked."""
    if not (phone or "").strip():
        return {"phone_encrypted": "", "phone_masked": ""}
    try:
        normalised = validate_phone(phone)
    except ValidationError as error:
        raise invalid_fields({"phone": error.messages}) from None
    return {"phone_encrypted": normalised, "phone_masked": masking.mask_phone(normalised)}


def _contact_resident(value: Any, *, actor, resident: Resident) -> Resident | None:
    # Linking someone does not change their record: being able to see them is enough.
    if value in (None, ""):
        return None
    other = get_in_scope(
        Resident.objects.all(), value, actor=actor, permission=VIEW, field="contact_resident"
    )
    if other.pk == resident.pk:
        raise field_error("contact_resident", _("A resident cannot be their own contact."))
    if other.status == Resident.Status.DECEASED:
        raise field_error(
            "contact_resident",
            _("This resident is recorded as deceased."),
            code=RegistryError.RESIDENT_DECEASED,
        )
    return other


def contact_check(
    *, actor, resident: Resident, data: dict[str, Any], instance: Contact | None = None
) -> dict:
    """Validate a new contact (instance None) or a partial update; return the model values to set.

    Raises ValidationError with every field's message at once.
    """
    reject_unknown(data, CONTACT_FIELDS)
    errors: dict[str, list] = {}
    values: dict[str, Any] = {
        name: (data[name] or "").strip() for name in ("name", "relation") if name in data
    }
    values["kind"] = data.get("kind", instance.kind if instance else None)
    if values["kind"] not in Contact.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    try:
        if "contact_resident" in data:
            values["contact_resident"] = _contact_resident(
                data["contact_resident"], actor=actor, resident=resident
            )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        if "phone" in data:
            values.update(contact_phone_columns(data["phone"]))
    except ValidationError as error:
        errors.update(error.message_dict)
    linked = values.get("contact_resident", getattr(instance, "contact_resident", None))
    name = values.get("name", getattr(instance, "name", ""))
    phone = values.get("phone_encrypted", getattr(instance, "phone_encrypted", ""))
    if linked is None and not errors.keys() & {"contact_resident", "name", "phone"}:
        if not name:
            errors["name"] = [_("Enter the contact's name, or choose a resident of the register.")]
        if not phone:
            errors["phone"] = [_("Enter the contact's phone, or choose a resident of the register.")]
    if errors:
        raise invalid_fields(errors)
    _check_not_listed_twice(resident, values["kind"], linked, phone, exclude=instance)
    return values


def _check_not_listed_twice(resident: Resident, kind: str, linked, phone: str, *, exclude) -> None:
    # A handful of rows per resident: comparing decrypted phones here is cheaper than an index.
    others = Contact.objects.filter(resident=resident, kind=kind).exclude(pk=getattr(exclude, "pk", None))
    for other in others:
        if (linked is not None and other.contact_resident_id == linked.pk) or (
            phone and other.phone_encrypted == phone
        ):
            raise Conflict(
                _("This contact is already listed for the resident."), code=RegistryError.CONTACT_EXISTS
            )


@transaction.atomic
def contact_add(*, actor, resident: Resident, data: dict[str, Any], request=None) -> Contact:
    if resident.status == Resident.Status.DECEASED:
        raise Conflict(_("The resident is recorded as deceased."), code=RegistryError.RESIDENT_DECEASED)
    values = contact_check(actor=actor, resident=resident, data=data)
    contact = Contact(resident=resident, **values)
    contact.save()
    audit_write(
        actor=actor,
        action="registry.contact.add",
        target=resident,
        changes=diff({}, snapshot(contact)),
        extra={"contact_id": contact.pk},
        request=request,
    )
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, data: dict[str, Any], request=None) -> Contact:
    values = contact_check(actor=actor, resident=contact.resident, data=data, instance=contact)
    before = snapshot(contact)
    for name, value in values.items():
        setattr(contact, name, value)
    contact.save()
    audit_write(
        actor=actor,
        action="registry.contact.update",
        target=contact.resident,
        changes=diff(before, snapshot(contact)),
        extra={"contact_id": contact.pk},
        request=request,
    )
    return contact


@transaction.atomic
def contact_remove(*, actor, contact: Contact, request=None) -> None:
    audit_write(
        actor=actor,
        action="registry.contact.remove",
        target=contact.resident,
        changes=removed(snapshot(contact)),
        extra={"contact_id": contact.pk},
        request=request,
    )
    contact.delete()
