"""After the first round: the further round (另行选举) for the seats it left empty, whose result
combines with the first's, and the handover (交接) granting the new committee's roles and ending
the old ones in one step.

村民委员会组织法 art. 15: seats left empty after the first round are filled by a further round
among the not-elected with the most votes; it is valid when more than half the voters voted, and
a candidate needs at least one third of its votes cast (the share is the province's rules)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.accounts.models import ResidentBinding, RoleAssignment
from core.accounts.roles import Role
from core.api.errors import ApplicationError, CommonError
from core.audit.models import AuditEvent
from governance import elections as e
from governance.contributions import COMMITTEE_MEMBER
from governance.errors import GovernanceError
from governance.models import Candidate, Election
from tests.governance.conftest import ALL_MET
from tests.helpers import assert_error, client_for
from tests.world import grant, make_staff, make_user


def code_of(call, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value.code


def nominate(world, *residents) -> list[str]:
    return [
        str(
            e.candidate_nominate(
                actor=world.community_worker,
                election=world.election,
                resident=r.pk,
                review=ALL_MET,
                reviewed_by=["组织部", "公安", "法院"],
            ).pk
        )
        for r in residents
    ]


def count_both(world, ballots: int, votes: dict, box: str = "1") -> None:
    """A box's count entered twice, by the worker and by a clerk, the same."""
    for user, entry in ((world.community_worker, 1), (world.clerk, 2)):
        e.count_enter(actor=user, election=world.election, box=box, entry=entry, ballots=ballots, votes=votes)


@pytest.fixture
def voted(village):
    """7 voters on the roll, 3 seats; five candidates: the householder (bound account), the
    spouse (bound account), 孙大, 孙二, 孙三 (no account)."""
    e.roll_compile(actor=village.community_worker, election=village.election)
    village.clerk = make_staff(Role.COMMUNITY_WORKER, village.community_a)
    people = [village.applicant, village.spouse, *village.family[:3]]
    names = ["applicant", "spouse", "elder", "second", "third"]
    village.ids = dict(zip(names, nominate(village, *people), strict=True))
    return village


def first_round(world, votes: list[int], ballots: int = 6) -> dict:
    count_both(world, ballots, dict(zip(world.ids.values(), votes, strict=True)))
    return e.result_declare(actor=world.community_worker, election=world.election)


def pk(world, name: str) -> int:
    return int(world.ids[name])


def test_an_empty_seat_is_filled_by_a_further_round_and_the_result_combines_both_rounds(voted):
    # First round: 6 of 7 voted; more than half of 6 (4 or more) elects two; a seat stays empty.
    result = first_round(voted, [5, 4, 3, 2, 1])
    assert (result["elected"], result["seats_unfilled"], result["final"]) == (
        [pk(voted, "applicant"), pk(voted, "spouse")],
        1,
        False,
    )
    assert code_of(e.committee_handover, actor=voted.secretary, election=voted.election) == (
        GovernanceError.WRONG_STAGE
    )
    # The further round: twice the empty seats, the not-elected with the most votes.
    chosen = e.further_round_open(actor=voted.community_worker, election=voted.election)
    assert [c.pk for c in chosen] == [pk(voted, "elder"), pk(voted, "second")]
    assert Candidate.objects.get(pk=pk(voted, "third")).status == Candidate.Status.NOT_ELECTED
    assert code_of(e.further_round_open, actor=voted.community_worker, election=voted.election) == (
        GovernanceError.WRONG_STAGE
    )
    # Its counts: only its candidates, each box entered twice and compared, as in the first round.
    assert (
        code_of(
            e.count_enter,
            actor=voted.community_worker,
            election=voted.election,
            box="1",
            entry=1,
            ballots=5,
            votes={voted.ids["third"]: 5},
        )
        == CommonError.INVALID
    )
    e.count_enter(
        actor=voted.community_worker,
        election=voted.election,
        box="1",
        entry=1,
        ballots=5,
        votes={voted.ids["elder"]: 2, voted.ids["second"]: 3},
    )
    e.count_enter(
        actor=voted.clerk,
        election=voted.election,
        box="1",
        entry=2,
        ballots=5,
        votes={voted.ids["elder"]: 3, voted.ids["second"]: 2},
    )
    assert code_of(e.result_declare, actor=voted.community_worker, election=voted.election) == (
        GovernanceError.COUNTS_DIFFER
    )
    box = voted.election.counts.get(round=2, entry=2)
    box.votes = {voted.ids["elder"]: 2, voted.ids["second"]: 3}
    box.save(update_fields=["votes"])
    result = e.result_declare(actor=voted.community_worker, election=voted.election)
    assert result == {
        "valid": True,
        "voters": 7,
        "cast": 6,
        "elected": [pk(voted, "applicant"), pk(voted, "spouse"), pk(voted, "second")],
        "seats_unfilled": 0,
        "final": True,
        "further_round": {"seats": 1, "cast": 5, "valid": True, "elected": [pk(voted, "second")]},
    }
    voted.election.refresh_from_db()
    assert (voted.election.status, voted.election.result_final_on) == (
        Election.Status.VALID,
        timezone.localdate(),
    )
    # The public notice (居务公开) prints both rounds' votes and the combined result.
    url = f"/api/v1/governance/elections/{voted.election.pk}/notice/"
    notice = client_for(voted.community_worker).get(url)
    assert notice.status_code == 200, notice.content
    body = notice.json()
    assert body["result"]["elected"] == result["elected"]
    assert body["result"]["further_round"]["elected"] == [pk(voted, "second")]
    rows = {(row["name"], row["status"], row["votes"], row["further_votes"]) for row in body["candidates"]}
    assert ("孙二", "elected", 2, 3) in rows and ("孙大", "not_elected", 3, 2) in rows
    assert ("孙三", "not_elected", 1, None) in rows


def test_in_the_further_round_one_third_of_the_votes_cast_elects(voted):
    """Art. 15: at least one third (exactly 2 of 6 elects, 1 of 6 does not); fewer candidates
    remain than twice the empty seats, so all of them stand."""
    Election.objects.filter(pk=voted.election.pk).update(seats=4)
    voted.election.refresh_from_db()
    first_round(voted, [6, 3, 3, 0, 0])  # only the householder is elected: 3 seats empty
    chosen = e.further_round_open(actor=voted.community_worker, election=voted.election)
    assert [c.pk for c in chosen] == [pk(voted, name) for name in ("spouse", "elder", "second", "third")]
    count_both(voted, 6, {voted.ids["spouse"]: 2, voted.ids["elder"]: 2, voted.ids["second"]: 1})
    result = e.result_declare(actor=voted.community_worker, election=voted.election)
    assert result["further_round"] == {
        "seats": 3,
        "cast": 6,
        "valid": True,
        "elected": [pk(voted, "spouse"), pk(voted, "elder")],
    }
    assert (result["elected"], result["seats_unfilled"], result["final"]) == (
        [pk(voted, "applicant"), pk(voted, "spouse"), pk(voted, "elder")],
        1,
        True,
    )


def test_the_further_round_share_is_the_provinces_rule(voted):
    """A province requiring more than one third (here 2/5): 2 of 6 no longer elects."""
    rules = voted.election.rules
    rules.further_share_numerator, rules.further_share_denominator = 2, 5
    rules.save(update_fields=["further_share_numerator", "further_share_denominator"])
    first_round(voted, [5, 4, 3, 2, 1])
    e.further_round_open(actor=voted.community_worker, election=voted.election)
    count_both(voted, 6, {voted.ids["elder"]: 2, voted.ids["second"]: 2})
    result = e.result_declare(actor=voted.community_worker, election=voted.election)
    assert (result["further_round"]["elected"], result["seats_unfilled"], result["final"]) == ([], 1, True)


def test_a_further_round_short_of_half_the_voters_elects_nobody(voted):
    first_round(voted, [5, 4, 3, 2, 1])
    e.further_round_open(actor=voted.community_worker, election=voted.election, candidates=3)
    assert set(Candidate.objects.filter(in_further_round=True).values_list("pk", flat=True)) == {
        pk(voted, "elder"),
        pk(voted, "second"),
        pk(voted, "third"),
    }
    count_both(voted, 3, {voted.ids["elder"]: 3})  # 3 of 7 is not more than half
    result = e.result_declare(actor=voted.community_worker, election=voted.election)
    assert result["further_round"] == {"seats": 1, "cast": 3, "valid": False, "elected": []}
    assert (result["valid"], result["seats_unfilled"], result["final"]) == (True, 1, True)


def test_a_further_round_needs_as_many_candidates_as_empty_seats(voted):
    first_round(voted, [6, 0, 0, 0, 0])  # 2 seats empty
    with pytest.raises(ApplicationError) as caught:
        e.further_round_open(actor=voted.community_worker, election=voted.election, candidates=1)
    assert caught.value.status_code == 400
    voted.election.refresh_from_db()
    assert voted.election.status == Election.Status.VALID and voted.election.further_seats is None


# the handover ------------------------------------------------------------------------------------


def elected_all_three(world) -> None:
    """The householder, the spouse (both with accounts) and 孙大 (none) elected in the first round."""
    first_round(world, [6, 5, 4, 1, 0])


def former_member(world):
    user = make_user(region=world.grid_a1, is_staff=False)
    began = timezone.localdate() - timedelta(days=1800)
    return grant(user, COMMITTEE_MEMBER, world.community_a, starts_on=began)


def test_the_handover_grants_the_new_committee_and_ends_the_old_in_one_step(voted):
    elected_all_three(voted)
    old = former_member(voted)
    url = f"/api/v1/governance/elections/{voted.election.pk}/handover/"
    # A community worker runs the election but may not grant roles.
    assert_error(client_for(voted.community_worker).post(url), 403, "permission_denied")
    answer = client_for(voted.secretary).post(url)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    new = RoleAssignment.objects.current().filter(role=COMMITTEE_MEMBER, region=voted.community_a)
    assert {a.user_id for a in new} == {voted.resident_user.pk, voted.spouse_user.pk}
    assert {(row["candidate"], row["user"]) for row in body["granted"]} == {
        (pk(voted, "applicant"), voted.resident_user.pk),
        (pk(voted, "spouse"), voted.spouse_user.pk),
    }
    assert body["to_be_given_account"] == [{"candidate": pk(voted, "elder"), "name": "孙大"}]
    # The old committee's grant is ended, dated, and kept.
    old.refresh_from_db()
    assert (old.ended_at is not None, old.ends_on, body["ended"]) == (True, timezone.localdate(), [old.pk])
    # A second call changes nothing and answers the same.
    audited = AuditEvent.objects.count()
    again = client_for(voted.secretary).post(url)
    assert (again.status_code, again.json()) == (200, body)
    assert AuditEvent.objects.count() == audited
    assert RoleAssignment.objects.filter(role=COMMITTEE_MEMBER).count() == 3
    # The new members see their community's co-governance.
    member = client_for(voted.resident_user)
    assert member.get(f"/api/v1/governance/elections/{voted.election.pk}/").status_code == 200


def test_a_handover_refused_midway_writes_nothing(voted):
    """The secretary is 孙大's account: granting a role to oneself is refused, after the old
    committee was ended and two members granted; all of it rolls back."""
    elected_all_three(voted)
    old = former_member(voted)
    ResidentBinding.objects.create(user=voted.secretary, resident=voted.family[0])
    audited = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        e.committee_handover(actor=voted.secretary, election=voted.election)
    assert caught.value.status_code == 400
    old.refresh_from_db()
    assert (old.ended_at, old.ends_on) == (None, None)
    assert list(RoleAssignment.objects.filter(role=COMMITTEE_MEMBER)) == [old]
    voted.election.refresh_from_db()
    assert (voted.election.handed_over_at, voted.election.handover) == (None, {})
    assert AuditEvent.objects.count() == audited


def test_further_round_and_handover_over_http(voted):
    first_round(voted, [5, 4, 3, 2, 1])
    client = client_for(voted.community_worker)
    url = f"/api/v1/governance/elections/{voted.election.pk}/"
    assert_error(client_for(voted.secretary).post(f"{url}handover/"), 409, "wrong_stage")
    opened = client.post(f"{url}further-round/", {}, format="json")
    assert opened.status_code == 200, opened.content
    assert opened.json()["seats"] == 1
    assert [c["id"] for c in opened.json()["candidates"]] == [pk(voted, "elder"), pk(voted, "second")]
    assert_error(client.post(f"{url}further-round/", {}, format="json"), 409, "wrong_stage")
    for user, entry in ((voted.community_worker, 1), (voted.clerk, 2)):
        counted = client_for(user).post(
            f"{url}counts/",
            {"box": "1", "entry": entry, "ballots": 5, "votes": {voted.ids["elder"]: 4}},
            format="json",
        )
        assert counted.status_code == 201, counted.content
    result = client.post(f"{url}result/")
    assert result.status_code == 200, result.content
    assert (result.json()["final"], result.json()["seats_unfilled"]) == (True, 0)
    handed = client_for(voted.secretary).post(f"{url}handover/")
    assert handed.status_code == 200, handed.content
    assert client.get(url).json()["handed_over_at"] is not None
