"""村（居）民委员会换届: rules as dated data, the roll from the register, objections, candidates
checked against the rules' conditions in a joint review (联审), proxies, per-box counts entered
twice, and the result by the law's majorities.

The law (村民委员会组织法 arts. 13–15, 城市居民委员会组织法 art. 8, and the provinces' measures):
- the roll: registered (户籍) residents aged 18 or over on voting day, plus residents living there
  a year or more who apply and are approved by the 村民会议 / 村民代表会议; people deprived of
  political rights are excluded; a person is on one roll only; the roll is published at least
  20 days before voting day; objections within 5 days of publication, decided within 3 days;
- a proxy only for a near relative who is a voter of the same community, with written
  authorization, each proxy holding at most the province's cap (3 in many provinces);
- the election is valid when more than half the voters on the roll voted; a candidate is elected
  with more than half the votes cast; unfilled seats go to a further round (另行选举) among the
  not-elected with the most votes, valid on the same turnout, where at least one third of its
  votes cast elects (art. 15; the share and the candidates per seat are the rules' data);
- once the result is final the new committee takes over: its members' roles are granted and the
  previous committee's ended in one step (交接).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.models import ResidentBinding, RoleAssignment
from core.accounts.services import grantor_assignments, role_assignment_end, role_assignment_grant
from core.api.errors import Conflict, Forbidden, field_error, invalid_fields, not_found_in_payload
from core.audit.services import audit_record, changed_fields, created
from core.regions.models import Region
from core.regions.paths import is_under, region_in_scope
from core.registry.models import Resident, ResidentTag
from governance.contributions import COMMITTEE_MEMBER, MANAGE
from governance.errors import GovernanceError
from governance.models import BoxCount, Candidate, Election, ElectionRules, Proxy, RollEntry, RollObjection
from governance.people import adults_q

# The tag a worker sets on someone deprived of political rights (剥夺政治权利): off every roll.
DEPRIVED_TAG = "governance.deprived_of_political_rights"
# 民法典 art. 1045: 配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女.
NEAR_RELATIVES = ["spouse", "parent", "child", "sibling", "grandparent", "grandchild"]
# What a candidate may be checked for (keys the rules name); the joint review says met or not.
CANDIDATE_CONDITIONS = {
    "on_roll": _("A voter of the community"),
    "no_criminal_record": _("No criminal record (公安)"),
    "not_dishonest_debtor": _("Not a dishonest judgment debtor (法院)"),
    "no_illegal_religion": _("No illegal religious activity (统战/民宗)"),
    "no_unpaid_village_debt": _("No unpaid debt to the collective"),
}
LAW_OF_KIND = {
    Region.CommunityKind.VILLAGE_COMMITTEE: Election.Law.VILLAGE,
    Region.CommunityKind.RESIDENTS_COMMITTEE: Election.Law.URBAN,
}


def rules_add(*, actor, province: str, starts_on, request=None, **values) -> ElectionRules:
    """New rules for a province from `starts_on`; the current ones end the day before (never edited)."""
    unknown = set(values.get("candidate_conditions", [])) - set(CANDIDATE_CONDITIONS)
    if unknown:
        raise field_error(
            "candidate_conditions", _("Unknown conditions: %(keys)s") % {"keys": ", ".join(sorted(unknown))}
        )
    values.setdefault("near_relatives", NEAR_RELATIVES)
    with transaction.atomic():
        ElectionRules.objects.filter(province=province, ends_on__isnull=True).update(
            ends_on=starts_on - timedelta(days=1)
        )
        rules = ElectionRules.objects.create(province=province, starts_on=starts_on, **values)
        audit_record(
            actor=actor,
            action="governance.election.rules",
            target=rules,
            changes=created(province=province, starts_on=starts_on),
            request=request,
        )
    return rules


def rules_on(province: str, day) -> ElectionRules | None:
    return (
        ElectionRules.objects.filter(province=province, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .order_by("-starts_on")
        .first()
    )


def election_announce(
    *,
    actor,
    community: int,
    province: str,
    term_year: int,
    seats: int,
    voting_day,
    method=Election.Method.ALL_RESIDENTS,
    request=None,
) -> Election:
    """Announce the election; the law follows the community's kind (its region row)."""
    region = region_in_scope(actor, community, MANAGE, levels=(Region.Level.COMMUNITY,))
    if region is None:
        raise not_found_in_payload("community")
    law = LAW_OF_KIND.get(region.community_kind)
    if law is None:
        raise field_error(
            "community", _("Record whether the community is a village or an urban community first.")
        )
    if law == Election.Law.VILLAGE and method == Election.Method.GROUP_REPRESENTATIVES:
        raise field_error(
            "method", _("A village committee is elected by the villagers or their household representatives.")
        )
    rules = rules_on(province, voting_day)
    if rules is None:
        raise field_error("province", _("No election rules of this province apply on the voting day."))
    with transaction.atomic():
        election = Election.objects.create(
            region=region,
            region_path=region.path,
            rules=rules,
            law=law,
            method=method,
            term_year=term_year,
            seats=seats,
            announced_on=timezone.localdate(),
            voting_day=voting_day,
        )
        audit_record(
            actor=actor,
            action="governance.election.announce",
            target=election,
            changes=created(law=law, seats=seats),
            request=request,
        )
    return election


def _roll_deadline(election: Election):
    return election.voting_day - timedelta(days=election.rules.roll_days_before)


def roll_compile(*, actor, election: Election, on=None, request=None) -> dict:
    """The roll from the register: registered residents of the community, 18+ on voting day,
    not deprived of political rights; anyone already on another roll of the term is left out
    and named in the answer. Published today, at least `roll_days_before` days before voting."""
    on = on or timezone.localdate()
    if election.status != Election.Status.ROLL or election.roll_published_on:
        raise Conflict(_("The roll is already published."), code=GovernanceError.WRONG_STAGE)
    if on > _roll_deadline(election):
        raise Conflict(
            _("The roll must be published at least %(days)d days before voting day.")
            % {"days": election.rules.roll_days_before},
            code=GovernanceError.OUT_OF_WINDOW,
        )
    deprived = ResidentTag.objects.current(on).filter(tag=DEPRIVED_TAG).values("resident_id")
    people = (
        Resident.objects.filter(
            region_path__startswith=election.region_path,
            status=Resident.Status.ACTIVE,
            residence_type=Resident.ResidenceType.REGISTERED,
        )
        .filter(adults_q(election.voting_day))
        .exclude(pk__in=deprived)
    )
    elsewhere = set(
        RollEntry.objects.filter(term_year=election.term_year, removed=False, resident__in=people)
        .exclude(election=election)
        .values_list("resident_id", flat=True)
    )
    with transaction.atomic():
        RollEntry.objects.bulk_create(
            RollEntry(
                election=election,
                resident_id=pk,
                term_year=election.term_year,
                basis=RollEntry.Basis.REGISTERED,
            )
            for pk in people.exclude(pk__in=elsewhere).values_list("pk", flat=True)
        )
        election.roll_published_on = on
        election.save(update_fields=["roll_published_on", "updated_at"])
        size = election.roll.filter(removed=False).count()
        audit_record(
            actor=actor,
            action="governance.election.roll",
            target=election,
            changes=created(voters=size, left_out=len(elsewhere)),
            request=request,
        )
    return {"voters": size, "on_another_roll": sorted(elsewhere)}


def roll_add(
    *, actor, election: Election, resident: Resident, approved_by_meeting: str, request=None
) -> RollEntry:
    """A resident not registered here who has lived here a year or more, applied, and was
    approved by the 村民会议 / 村民代表会议 (or the residents' meeting)."""
    if not is_under(resident.region_path, election.region_path) or resident.status != Resident.Status.ACTIVE:
        raise not_found_in_payload("resident")
    years = election.rules.resident_years
    if resident.moved_in_on is None or resident.moved_in_on > election.voting_day - timedelta(
        days=365 * years
    ):
        raise field_error(
            "resident",
            _("Only someone who has lived here %(years)d year(s) or more may be added.") % {"years": years},
        )
    if not approved_by_meeting:
        raise field_error("approved_by_meeting", _("Name the meeting that approved the application."))
    try:
        with transaction.atomic():
            entry = RollEntry.objects.create(
                election=election,
                resident=resident,
                term_year=election.term_year,
                basis=RollEntry.Basis.LIVING_HERE,
                approved_by_meeting=approved_by_meeting,
            )
            audit_record(
                actor=actor,
                action="governance.election.roll_add",
                target=election,
                changes=created(resident=resident.pk),
                request=request,
            )
    except IntegrityError:
        raise field_error(
            "resident",
            _("This person is already on another roll for this term."),
            code=GovernanceError.ON_ANOTHER_ROLL,
        ) from None
    return entry


def away_declare(
    *, actor, election: Election, resident: Resident, will_vote: bool, request=None
) -> RollEntry:
    """A registered voter living away declares whether they will come back (or send a proxy) to
    vote; recorded on their roll entry until voting day."""
    entry = _entry(election, resident.pk, "resident")
    if entry.basis != RollEntry.Basis.REGISTERED:
        raise field_error("resident", _("Only a registered voter living away declares this."))
    if timezone.localdate() > election.voting_day:
        raise Conflict(_("Voting day has passed."), code=GovernanceError.OUT_OF_WINDOW)
    with transaction.atomic():
        old = entry.away_will_vote
        entry.away_will_vote = will_vote
        entry.save(update_fields=["away_will_vote"])
        audit_record(
            actor=actor,
            action="governance.election.away",
            target=election,
            changes=changed_fields({"away_will_vote": old}, {"away_will_vote": will_vote}),
            request=request,
        )
    return entry


def objection_file(
    *, actor, election: Election, resident: Resident, content: str, on=None, request=None
) -> RollObjection:
    on = on or timezone.localdate()
    published = election.roll_published_on
    if published is None or not published <= on <= published + timedelta(days=election.rules.objection_days):
        raise Conflict(
            _("Objections are filed within %(days)d days of the roll's publication.")
            % {"days": election.rules.objection_days},
            code=GovernanceError.OUT_OF_WINDOW,
        )
    with transaction.atomic():
        objection = RollObjection.objects.create(
            election=election, resident=resident, filed_on=on, content=content
        )
        audit_record(actor=actor, action="governance.election.objection", target=election, request=request)
    return objection


def objection_decide(
    *, actor, objection: RollObjection, upheld: bool, on=None, request=None
) -> RollObjection:
    on = on or timezone.localdate()
    if objection.decided_on or on > objection.filed_on + timedelta(
        days=objection.election.rules.objection_decide_days
    ):
        raise Conflict(_("The objection is past its time to decide."), code=GovernanceError.OUT_OF_WINDOW)
    with transaction.atomic():
        objection.decided_on, objection.upheld = on, upheld
        objection.save(update_fields=["decided_on", "upheld"])
        audit_record(
            actor=actor,
            action="governance.election.objection_decide",
            target=objection.election,
            changes=created(upheld=upheld),
            request=request,
        )
    return objection


def _entry(election: Election, resident_id: int, field: str) -> RollEntry:
    entry = RollEntry.objects.filter(election=election, resident_id=resident_id, removed=False).first()
    if entry is None:
        raise field_error(field, _("This person is not on the roll."), code=GovernanceError.NOT_ON_ROLL)
    return entry


def candidate_nominate(
    *, actor, election: Election, resident: int, review: dict, reviewed_by: list, request=None
) -> Candidate:
    """A candidate who passed the joint review (联审) of every condition the rules require; one
    failing a condition is refused with the conditions named, and nothing is written."""
    entry = _entry(election, resident, "resident")
    required = election.rules.candidate_conditions
    missing = [key for key in required if key not in review]
    if missing or not reviewed_by:
        raise field_error(
            "review",
            _("The joint review must record every condition: %(keys)s")
            % {"keys": ", ".join(missing) or "reviewed_by"},
        )
    failed = [key for key in required if not review[key].get("met")]
    if failed:
        raise invalid_fields(
            {"review": [_("Fails: %(c)s") % {"c": "、".join(str(CANDIDATE_CONDITIONS[k]) for k in failed)}]},
            code=GovernanceError.CANDIDATE_CONDITION,
        )
    with transaction.atomic():
        candidate = Candidate.objects.create(
            election=election,
            entry=entry,
            status=Candidate.Status.ACCEPTED,
            review=review,
            reviewed_by=list(reviewed_by),
        )
        audit_record(
            actor=actor,
            action="governance.election.nominate",
            target=election,
            changes=created(resident=resident),
            request=request,
        )
    return candidate


def proxy_authorize(
    *,
    actor,
    election: Election,
    principal: int,
    proxy: int,
    relation: str,
    authorization_ref: str,
    request=None,
) -> Proxy:
    """A near relative on the same roll, with written authorization; at most the cap each."""
    rules = election.rules
    principal_entry, proxy_entry = _entry(election, principal, "principal"), _entry(election, proxy, "proxy")
    if not authorization_ref:
        raise field_error("authorization_ref", _("A proxy needs the written authorization."))
    people = {p.pk: p for p in Resident.objects.filter(pk__in=[principal, proxy])}
    same_household = (
        people[principal].household_id and people[principal].household_id == people[proxy].household_id
    )
    if principal == proxy or relation not in rules.near_relatives or not same_household:
        raise field_error(
            "proxy",
            _("Only a near relative (近亲属) on the same roll may vote as a proxy."),
            code=GovernanceError.NOT_NEAR_RELATIVE,
        )
    with transaction.atomic():
        # Lock the proxy's roll entry: two authorizations at once cannot both pass the cap.
        RollEntry.objects.select_for_update().get(pk=proxy_entry.pk)
        if Proxy.objects.filter(proxy=proxy_entry).count() >= rules.proxy_cap:
            raise field_error(
                "proxy",
                _("A proxy may vote for at most %(cap)d people.") % {"cap": rules.proxy_cap},
                code=GovernanceError.PROXY_OVER_CAP,
            )
        try:
            with transaction.atomic():
                made = Proxy.objects.create(
                    election=election,
                    principal=principal_entry,
                    proxy=proxy_entry,
                    relation=relation,
                    authorization_ref=authorization_ref,
                )
        except IntegrityError:
            raise field_error(
                "principal", _("This voter has already named a proxy."), code=GovernanceError.PROXY_OVER_CAP
            ) from None
        audit_record(
            actor=actor,
            action="governance.election.proxy",
            target=election,
            changes=created(principal=principal, proxy=proxy),
            request=request,
        )
    return made


def proxies_published(election: Election) -> list[dict]:
    """The published list of proxies (委托投票公示)."""
    return [
        {"principal": p.principal.resident.name, "proxy": p.proxy.resident.name, "relation": p.relation}
        for p in election.proxies.select_related("principal__resident", "proxy__resident").order_by("pk")
    ]


def _round_of(election: Election) -> int:
    """The round whose counts are entered now: 2 during the further round (另行选举)."""
    return 2 if election.status == Election.Status.FURTHER_ROUND else 1


def count_enter(
    *, actor, election: Election, box: str, entry: int, ballots: int, votes: dict, request=None
) -> BoxCount:
    """One of the two entries of a box's public count, for the round being voted (the first, or
    the further round once opened); the second by someone else."""
    if election.status in (Election.Status.VALID, Election.Status.INVALID):
        raise Conflict(_("The result of this round is already declared."), code=GovernanceError.WRONG_STAGE)
    round_ = _round_of(election)
    standing = Candidate.Status.FURTHER if round_ == 2 else Candidate.Status.ACCEPTED
    known = set(map(str, election.candidates.filter(status=standing).values_list("pk", flat=True)))
    if set(map(str, votes)) - known:
        raise field_error("votes", _("Votes name someone who is not a candidate."))
    other = BoxCount.objects.filter(election=election, round=round_, box=box).exclude(entry=entry).first()
    if other is not None and other.entered_by_id == actor.pk:
        raise field_error("entry", _("The second entry is made by someone else."))
    try:
        with transaction.atomic():
            count = BoxCount.objects.create(
                election=election,
                round=round_,
                box=box,
                entry=entry,
                ballots=ballots,
                votes={str(k): v for k, v in votes.items()},
                entered_by=actor,
            )
            audit_record(
                actor=actor,
                action="governance.election.count",
                target=election,
                changes=created(box=box, entry=entry, round=round_),
                request=request,
            )
    except IntegrityError:
        raise field_error("entry", _("This entry of the box is already made.")) from None
    return count


def _compared_counts(election: Election, round_: int) -> tuple[int, dict[str, int]]:
    """Both entries of every box of the round compared (409 naming the boxes that differ or miss
    an entry); the ballots cast and the votes per candidate id."""
    boxes: dict[str, dict[int, BoxCount]] = {}
    for count in election.counts.filter(round=round_):
        boxes.setdefault(count.box, {})[count.entry] = count
    if not boxes:
        raise Conflict(_("No ballot box is counted yet."), code=GovernanceError.WRONG_STAGE)
    differing = sorted(
        box
        for box, entries in boxes.items()
        if set(entries) != {1, 2}
        or (entries[1].ballots, entries[1].votes) != (entries[2].ballots, entries[2].votes)
    )
    if differing:
        raise Conflict(
            _("The two entries differ (or one is missing) for boxes: %(boxes)s")
            % {"boxes": ", ".join(differing)},
            code=GovernanceError.COUNTS_DIFFER,
        )
    tally: dict[str, int] = {}
    for entries in boxes.values():
        for candidate, votes in entries[1].votes.items():
            tally[candidate] = tally.get(candidate, 0) + votes
    return sum(entries[1].ballots for entries in boxes.values()), tally


def result_declare(*, actor, election: Election, request=None) -> dict:
    """Compare both entries of every box, then apply the majorities: valid when more than half
    the voters on the roll voted; elected with more than half the votes cast, best first, up to
    the seats; seats left empty go to a further round (`further_round_open`). During the further
    round, declares that round's result instead (`_further_result_declare`)."""
    if election.status == Election.Status.FURTHER_ROUND:
        return _further_result_declare(actor=actor, election=election, request=request)
    if election.status in (Election.Status.VALID, Election.Status.INVALID):
        raise Conflict(_("The result of this round is already declared."), code=GovernanceError.WRONG_STAGE)
    cast, tally = _compared_counts(election, 1)
    voters = election.roll.filter(removed=False).count()
    valid = cast * 2 > voters
    with transaction.atomic():
        for candidate in election.candidates.filter(status=Candidate.Status.ACCEPTED):
            candidate.votes = tally.get(str(candidate.pk), 0)
            candidate.save(update_fields=["votes"])
        elected: list[int] = []
        if valid:
            ranked = election.candidates.filter(status=Candidate.Status.ACCEPTED).order_by("-votes", "pk")
            elected = [c.pk for c in ranked if c.votes * 2 > cast][: election.seats]
            election.candidates.filter(pk__in=elected).update(status=Candidate.Status.ELECTED)
            election.candidates.filter(status=Candidate.Status.ACCEPTED).update(
                status=Candidate.Status.NOT_ELECTED
            )
        old = election.status
        election.status = Election.Status.VALID if valid else Election.Status.INVALID
        election.ballots_cast = cast
        if valid and len(elected) == election.seats:
            election.result_final_on = timezone.localdate()
        election.save(update_fields=["status", "ballots_cast", "result_final_on", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.election.result",
            target=election,
            changes=changed_fields({"status": old}, {"status": election.status}),
            request=request,
        )
    return election_result(election)


def further_round_open(*, actor, election: Election, candidates: int | None = None, request=None) -> list:
    """另行选举 for the seats the first round left empty (村民委员会组织法 art. 15): the candidates
    are the not-elected with the most votes, as many as the rules say per empty seat (twice the
    seats by default) or `candidates` when the election committee sets another number; all of them
    when fewer remain, and everyone tied with the last one chosen. Returns the candidates chosen."""
    if election.status != Election.Status.VALID or election.result_final_on or election.further_seats:
        raise Conflict(
            _("A further round is held only after a valid first round that left seats empty."),
            code=GovernanceError.WRONG_STAGE,
        )
    empty = election.seats - election.candidates.filter(status=Candidate.Status.ELECTED).count()
    wanted = candidates or election.rules.further_candidates_per_seat * empty
    if wanted < empty:
        raise field_error(
            "candidates", _("A further round needs at least as many candidates as empty seats.")
        )
    remaining = list(election.candidates.filter(status=Candidate.Status.NOT_ELECTED).order_by("-votes", "pk"))
    if not remaining:
        raise Conflict(
            _("No candidate remains for a further round; nominate candidates for a new election."),
            code=GovernanceError.WRONG_STAGE,
        )
    chosen = remaining[:wanted]
    chosen += [c for c in remaining[wanted:] if c.votes == chosen[-1].votes]
    with transaction.atomic():
        Candidate.objects.filter(pk__in=[c.pk for c in chosen]).update(
            status=Candidate.Status.FURTHER, in_further_round=True
        )
        election.status = Election.Status.FURTHER_ROUND
        election.further_seats = empty
        election.save(update_fields=["status", "further_seats", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.election.further_round",
            target=election,
            changes=created(seats=empty, candidates=[c.pk for c in chosen]),
            request=request,
        )
    return list(election.candidates.filter(in_further_round=True).order_by("-votes", "pk"))


def _further_result_declare(*, actor, election: Election, request=None) -> dict:
    """The further round's result: valid when more than half the voters on the roll voted in it;
    elected with at least the rules' share of its votes cast (1/3 by default, 村民委员会组织法
    art. 15), best first, up to its seats. The election's result is then final, seats still
    empty staying empty."""
    cast, tally = _compared_counts(election, 2)
    voters = election.roll.filter(removed=False).count()
    valid = cast * 2 > voters
    rules = election.rules
    with transaction.atomic():
        for candidate in election.candidates.filter(status=Candidate.Status.FURTHER):
            candidate.further_votes = tally.get(str(candidate.pk), 0)
            candidate.save(update_fields=["further_votes"])
        if valid:
            ranked = election.candidates.filter(status=Candidate.Status.FURTHER).order_by(
                "-further_votes", "pk"
            )
            elected = [
                c.pk
                for c in ranked
                if c.further_votes * rules.further_share_denominator >= cast * rules.further_share_numerator
            ][: election.further_seats]
            election.candidates.filter(pk__in=elected).update(status=Candidate.Status.ELECTED)
        election.candidates.filter(status=Candidate.Status.FURTHER).update(
            status=Candidate.Status.NOT_ELECTED
        )
        election.status = Election.Status.VALID
        election.further_cast, election.further_valid = cast, valid
        election.result_final_on = timezone.localdate()
        election.save(
            update_fields=["status", "further_cast", "further_valid", "result_final_on", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="governance.election.result",
            target=election,
            changes=created(round=2, cast=cast, valid=valid),
            request=request,
        )
    return election_result(election)


def election_result(election: Election) -> dict:
    """The result as declared, both rounds combined: who was elected (the first round's, then the
    further round's, best first), the seats still empty, and whether the result is final."""
    valid = election.status in (Election.Status.VALID, Election.Status.FURTHER_ROUND)
    elected = election.candidates.filter(status=Candidate.Status.ELECTED)
    first = list(elected.filter(in_further_round=False).order_by("-votes", "pk").values_list("pk", flat=True))
    further = None
    if election.further_seats is not None:
        further = {
            "seats": election.further_seats,
            "cast": election.further_cast,
            "valid": election.further_valid,
            "elected": list(
                elected.filter(in_further_round=True)
                .order_by("-further_votes", "pk")
                .values_list("pk", flat=True)
            ),
        }
    chosen = first + (further["elected"] if further else [])
    return {
        "valid": valid,
        "voters": election.roll.filter(removed=False).count(),
        "cast": election.ballots_cast,
        "elected": chosen,
        "seats_unfilled": election.seats - len(chosen) if valid else election.seats,
        "final": election.result_final_on is not None,
        "further_round": further,
    }


def committee_handover(*, actor, election: Election, request=None) -> dict:
    """交接 in one step, once the result is final: the previous committee's roles at the community
    end (dated, kept) and the elected who have an account get the committee member's role there,
    through core.accounts' grant services, in one transaction (a refusal anywhere writes nothing).
    An elected person without an account is listed to be given one. A second call answers the
    same and changes nothing."""
    if not grantor_assignments(actor, COMMITTEE_MEMBER, election.region):
        raise Forbidden(_("You may not grant the committee's roles here."))
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.handed_over_at is not None:
            return handover_answer(election)
        if election.status != Election.Status.VALID or election.result_final_on is None:
            raise Conflict(
                _("The committee is handed over once the election's result is final."),
                code=GovernanceError.WRONG_STAGE,
            )
        ended = []
        previous = RoleAssignment.objects.not_ended().filter(role=COMMITTEE_MEMBER, region=election.region)
        for held in previous.order_by("pk"):
            role_assignment_end(actor=actor, assignment=held, request=request)
            ended.append(held.pk)
        elected = list(
            election.candidates.filter(status=Candidate.Status.ELECTED).select_related("entry").order_by("pk")
        )
        accounts = {
            binding.resident_id: binding.user
            for binding in ResidentBinding.objects.filter(
                resident_id__in=[c.entry.resident_id for c in elected], user__is_active=True
            ).select_related("user")
        }
        granted, pending = [], []
        for candidate in elected:
            user = accounts.get(candidate.entry.resident_id)
            if user is None:
                pending.append(candidate.pk)
                continue
            assignment = role_assignment_grant(
                actor=actor, user=user, role=COMMITTEE_MEMBER, region=election.region, request=request
            )
            granted.append([candidate.pk, user.pk, assignment.pk])
        election.handed_over_at = timezone.now()
        election.handover = {"granted": granted, "pending": pending, "ended": ended}
        election.save(update_fields=["handed_over_at", "handover", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.election.handover",
            target=election,
            changes=created(granted=len(granted), pending=len(pending), ended=len(ended)),
            request=request,
        )
    return handover_answer(election)


def handover_answer(election: Election) -> dict:
    """What the handover did: roles granted (candidate, name, account, assignment), the elected
    to be given an account, and the previous committee's assignments ended."""
    names = {c.pk: c.entry.resident.name for c in election.candidates.select_related("entry__resident")}
    done = election.handover
    return {
        "handed_over_at": election.handed_over_at,
        "granted": [
            {"candidate": c, "name": names[c], "user": u, "assignment": a} for c, u, a in done["granted"]
        ],
        "to_be_given_account": [{"candidate": c, "name": names[c]} for c in done["pending"]],
        "ended": done["ended"],
    }


def public_notice(election: Election) -> dict:
    """居务公开: the roll, the candidates and (after the count) their votes in each round, and the
    result of both rounds combined, as posted."""
    roll = election.roll.filter(removed=False).select_related("resident").order_by("resident__name_pinyin")
    candidates = election.candidates.select_related("entry__resident").order_by("pk")
    declared = election.status in (Election.Status.VALID, Election.Status.INVALID) or election.further_seats
    return {
        "election": election,
        "voters": [{"name": e.resident.name, "status": e.basis, "votes": None} for e in roll],
        "candidates": [
            {
                "name": c.entry.resident.name,
                "status": c.status,
                "votes": c.votes,
                "further_votes": c.further_votes,
            }
            for c in candidates
        ],
        "result": election_result(election) if declared else None,
    }
