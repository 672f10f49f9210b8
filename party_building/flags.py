"""What is wrong with an organization, read from its figures (party_building.selectors.with_figures)."""

from __future__ import annotations

from datetime import date

from party_building import rules
from party_building.models.organizations import OrganizationKind


def has_committee(organization) -> bool:
    return organization.officer_count >= rules.COMMITTEE_MIN_OFFICERS


def flags_of(organization, today: date) -> list[str]:
    found = []
    if organization.term_ends_on is not None and organization.term_ends_on < today:
        found.append("term_ended")
    if organization.kind == OrganizationKind.BRANCH:
        full = organization.full_member_count
        if full < rules.BRANCH_MIN_FULL_MEMBERS:
            found.append("too_few_full_members")
        if full >= rules.BRANCH_COMMITTEE_FROM and not has_committee(organization):
            found.append("committee_required")
        if organization.member_count > rules.BRANCH_SPLIT_ABOVE:
            found.append("to_be_split")
    return found
