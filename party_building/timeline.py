"""A member's party events in the household file (一户一档): joining, becoming full, and each
transfer of the relation (a TimelineProvider; two queries), and whether a resident is a party
member for the resident detail (a ResidentFact). Both only for party_building.view_membership."""

from __future__ import annotations

from django.utils.translation import gettext as _

from party_building.models import Member, Transfer


def party_entries(household_ids, *, limit: int) -> list[dict]:
    ids = list(household_ids)
    members = list(
        Member.objects.filter(resident__household_id__in=ids).select_related("resident", "organization")[
            :limit
        ]
    )
    entries = []
    for member in members:
        person = {"resident_id": member.resident_id, "resident_name": member.resident.name}
        entries.append(
            {
                "date": member.joined_on,
                "kind": "party.joined",
                "title": _("Joined the party (%(organization)s)")
                % {"organization": member.organization.name},
                **person,
                "details": {"member": member.pk},
            }
        )
        if member.full_on:
            entries.append(
                {
                    "date": member.full_on,
                    "kind": "party.full_member",
                    "title": _("Became a full party member"),
                    **person,
                    "details": {"member": member.pk},
                }
            )
    by_member = {m.pk: m for m in members}
    transfers = Transfer.objects.filter(member__in=members).select_related(
        "to_organization", "from_organization"
    )
    for transfer in transfers.order_by("-transferred_on", "-id")[:limit]:
        member = by_member[transfer.member_id]
        where = transfer.to_organization.name if transfer.to_organization else transfer.outside_organization
        entries.append(
            {
                "date": transfer.transferred_on,
                "at": transfer.created_at,
                "kind": f"party.transfer_{transfer.direction}",
                "title": _("Party relation transferred: %(where)s") % {"where": where},
                "resident_id": member.resident_id,
                "resident_name": member.resident.name,
                "details": {"member": member.pk, "letter_number": transfer.letter_number},
            }
        )
    return entries


def membership(resident_ids) -> dict[int, dict]:
    """{resident id: {"member": bool, "kind", "organization"}} for the resident detail."""
    ids = list(resident_ids)
    found = {
        m.resident_id: {"member": True, "kind": m.kind, "organization": m.organization.name}
        for m in Member.objects.active().filter(resident_id__in=ids).select_related("organization")
    }
    return {pk: found.get(pk, {"member": False}) for pk in ids}
