"""An organization's committee election (换届): candidates (full members), ballots recorded one per
full member (a probationary member has no vote, 党章 art. 7), and the result: the candidates with
the most votes, each with more than half of the full members entitled to vote
(中国共产党基层组织选举工作条例), take the committee's posts for the new term."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, invalid_fields
from core.audit.services import audit_record, created
from party_building import rules
from party_building.errors import PartyBuildingError
from party_building.models import Ballot, Candidate, Election, Member, Officer, Organization
from party_building.models.organizations import OfficerPost
from party_building.organizations import managed_organization
from party_building.selectors import active_full_members


def election_open(
    *, actor, organization: int, held_on: date, seats: int, candidates: list[int], request=None
) -> Election:
    holder: Organization = managed_organization(actor, organization)
    if held_on < holder.founded_on:
        raise field_error(
            "held_on",
            _("The organization did not exist yet on this date."),
            code=PartyBuildingError.BEFORE_FOUNDED,
        )
    entitled = active_full_members(holder, held_on)
    eligible = set(entitled.filter(pk__in=candidates).values_list("pk", flat=True))
    refused = sorted(set(candidates) - eligible)
    if refused:
        raise invalid_fields(
            {
                "candidates": [
                    _("Only full members of the organization stand: %(ids)s.")
                    % {"ids": ", ".join(map(str, refused))}
                ]
            },
            code=PartyBuildingError.NOT_FULL_MEMBER,
        )
    if len(set(candidates)) < seats:
        raise field_error("candidates", _("Name at least as many candidates as seats."))
    with transaction.atomic():
        election = Election.objects.create(
            organization=holder,
            region=holder.region,
            region_path=holder.region_path,
            held_on=held_on,
            seats=seats,
            term_years=rules.TERM_YEARS.get(holder.kind, 3),
            entitled=entitled.count(),
        )
        Candidate.objects.bulk_create(
            [Candidate(election=election, member_id=pk) for pk in sorted(set(candidates))]
        )
        audit_record(
            actor=actor,
            action="party_building.election.open",
            target=election,
            request=request,
            changes=created(organization=holder.pk, seats=seats, candidates=sorted(set(candidates))),
        )
    return election


def election_vote(*, actor, election: Election, voter: int, chosen: list[int], request=None) -> Ballot:
    """Record one member's ballot (`chosen`: members among the candidates, at most the seats)."""
    if election.status != Election.Status.OPEN:
        raise Conflict(_("This election is closed."), code=PartyBuildingError.ELECTION_CLOSED)
    member = (
        Member.objects.active().filter(pk=voter, organization=election.organization_id).first()
        if isinstance(voter, int)
        else None
    )
    if member is None:
        raise field_error(
            "voter",
            _("This person is not a member of the organization."),
            code=PartyBuildingError.NOT_A_MEMBER,
        )
    if not active_full_members(election.organization, election.held_on).filter(pk=member.pk).exists():
        raise field_error(
            "voter",
            _("A probationary member has no vote (party constitution art. 7)."),
            code=PartyBuildingError.NOT_FULL_MEMBER,
        )
    candidates = list(Candidate.objects.filter(election=election, member_id__in=chosen))
    if len(candidates) != len(set(chosen)):
        raise field_error(
            "chosen", _("Vote only for the candidates."), code=PartyBuildingError.NOT_A_CANDIDATE
        )
    if len(candidates) > election.seats:
        raise field_error(
            "chosen",
            _("Vote for at most as many candidates as seats."),
            code=PartyBuildingError.TOO_MANY_CHOSEN,
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(election=election, voter=member)
        except IntegrityError:
            raise Conflict(
                _("This member has already voted."), code=PartyBuildingError.ALREADY_VOTED
            ) from None
        ballot.chosen.set(candidates)
        Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(votes=F("votes") + 1)
        audit_record(
            actor=actor,
            action="party_building.election.vote",
            target=election,
            request=request,
            changes=created(voter=member.pk),  # whom they chose stays secret in the audit log
        )
    return ballot


def election_close(*, actor, election: Election, request=None) -> Election:
    """Count: the elected take the committee's posts (the most voted its secretary) from the
    election day for the term; the posts of the previous committee end the day before."""
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.status != Election.Status.OPEN:
            raise Conflict(_("This election is closed."), code=PartyBuildingError.ELECTION_CLOSED)
        ranked = Candidate.objects.filter(election=election).order_by("-votes", "id")
        elected = [c for c in ranked if c.votes * 2 > election.entitled][: election.seats]
        ends_on = rules.years_after(election.held_on, election.term_years) - timedelta(days=1)
        organization = election.organization
        Officer.objects.filter(organization=organization).current(election.held_on).update(
            ends_on=election.held_on - timedelta(days=1)
        )
        Officer.objects.bulk_create(
            Officer(
                organization=organization,
                member_id=candidate.member_id,
                post=OfficerPost.SECRETARY if i == 0 else OfficerPost.COMMITTEE_MEMBER,
                starts_on=election.held_on,
                ends_on=ends_on,
                election=election,
            )
            for i, candidate in enumerate(elected)
        )
        Candidate.objects.filter(pk__in=[c.pk for c in elected]).update(elected=True)
        if elected:
            organization.term_ends_on = ends_on
            organization.save(update_fields=["term_ends_on", "updated_at"])
        election.status = Election.Status.CLOSED
        election.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="party_building.election.close",
            target=election,
            request=request,
            changes={
                "status": {"old": Election.Status.OPEN, "new": Election.Status.CLOSED},
                "elected": {"old": None, "new": [c.member_id for c in elected]},
            },
        )
    return election
