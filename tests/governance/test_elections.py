"""村（居）民委员会换届 from roll to result: the law by the community's kind, the roll from the
register (户籍, 18+ on voting day, not deprived of political rights, one roll per person),
objections within their windows, a candidate failing a condition, proxies (near relative only,
at most the cap), per-box counts entered twice, and the majorities of the law."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from core.api.errors import ApplicationError
from core.regions.models import Region
from core.registry.models import Resident, ResidentTag
from governance import elections as e
from governance.errors import GovernanceError
from governance.models import Candidate, Election, Proxy, RollEntry
from tests.governance.conftest import ALL_MET
from tests.world import make_staff


def code_of(call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def on_roll(world):
    return set(RollEntry.objects.filter(election=world.election).values_list("resident_id", flat=True))


def test_the_law_follows_the_community_kind(village):
    assert village.election.law == Election.Law.VILLAGE
    village.community_b.community_kind = Region.CommunityKind.RESIDENTS_COMMITTEE
    village.community_b.save(update_fields=["community_kind"])
    urban = e.election_announce(
        actor=village.worker_b,
        community=village.community_b.pk,
        province="安徽",
        term_year=2026,
        seats=5,
        voting_day=village.voting_day,
        method=Election.Method.GROUP_REPRESENTATIVES,
    )
    assert urban.law == Election.Law.URBAN


def test_the_roll_from_the_register(village):
    ResidentTag.objects.create(resident=village.family[3], tag=e.DEPRIVED_TAG)
    village.neighbour.residence_type = Resident.ResidenceType.FLOATING
    village.neighbour.save(update_fields=["residence_type"])
    result = e.roll_compile(actor=village.community_worker, election=village.election)
    expected = {village.applicant.pk, village.spouse.pk, *(p.pk for p in village.family[:3])}
    assert on_roll(village) == expected  # not the child (minor), the floating resident, the deprived
    assert result == {"voters": 5, "on_another_roll": []}


def test_the_roll_is_published_at_least_20_days_before_voting(village):
    late = village.voting_day - timedelta(days=19)
    assert code_of(e.roll_compile, actor=village.community_worker, election=village.election, on=late) == (
        GovernanceError.OUT_OF_WINDOW
    )


def test_a_person_on_another_roll_is_refused(village):
    e.roll_compile(actor=village.community_worker, election=village.election)
    village.community_b.community_kind = Region.CommunityKind.VILLAGE_COMMITTEE
    village.community_b.save(update_fields=["community_kind"])
    other = e.election_announce(
        actor=village.worker_b,
        community=village.community_b.pk,
        province="安徽",
        term_year=2026,
        seats=3,
        voting_day=village.voting_day,
    )
    moved = village.family[0]
    moved.moved_in_on = date(2010, 1, 1)
    moved.region, moved.region_path = village.grid_b1, village.grid_b1.path
    moved.save(update_fields=["moved_in_on", "region", "region_path"])
    error = code_of(
        e.roll_add, actor=village.worker_b, election=other, resident=moved, approved_by_meeting="村民代表会议"
    )
    assert error == GovernanceError.ON_ANOTHER_ROLL
    assert not RollEntry.objects.filter(election=other).exists()


def test_objections_within_5_days_decided_within_3(village):
    e.roll_compile(actor=village.community_worker, election=village.election)
    published = village.election.roll_published_on
    objection = e.objection_file(
        actor=village.community_worker,
        election=village.election,
        resident=village.neighbour,
        content="我在本村居住三年",
        on=published + timedelta(days=5),
    )
    late = published + timedelta(days=6)
    assert (
        code_of(
            e.objection_file,
            actor=village.community_worker,
            election=village.election,
            resident=village.neighbour,
            content="x",
            on=late,
        )
        == GovernanceError.OUT_OF_WINDOW
    )
    assert (
        code_of(
            e.objection_decide,
            actor=village.community_worker,
            objection=objection,
            upheld=True,
            on=objection.filed_on + timedelta(days=4),
        )
        == GovernanceError.OUT_OF_WINDOW
    )
    e.objection_decide(
        actor=village.community_worker,
        objection=objection,
        upheld=True,
        on=objection.filed_on + timedelta(days=3),
    )


def test_election_from_roll_to_result_with_a_rejected_candidate_and_proxies(village):
    e.roll_compile(actor=village.community_worker, election=village.election)
    elder, second, third, fourth = village.family
    # A candidate failing a condition of the joint review is refused and nothing is written.
    failing = {**ALL_MET, "no_criminal_record": {"met": False, "note": "公安联审：有前科"}}
    assert (
        code_of(
            e.candidate_nominate,
            actor=village.community_worker,
            election=village.election,
            resident=second.pk,
            review=failing,
            reviewed_by=["公安", "法院"],
        )
        == GovernanceError.CANDIDATE_CONDITION
    )
    assert not Candidate.objects.filter(election=village.election).exists()
    candidates = [
        e.candidate_nominate(
            actor=village.community_worker,
            election=village.election,
            resident=r.pk,
            review=ALL_MET,
            reviewed_by=["组织部", "公安", "法院"],
        )
        for r in (village.applicant, elder, third)
    ]
    # Proxies: a near relative of the same household on the roll, at most the cap (2 here).
    assert (
        code_of(
            e.proxy_authorize,
            actor=village.community_worker,
            election=village.election,
            principal=second.pk,
            proxy=village.applicant.pk,
            relation="sibling",
            authorization_ref="委托书001",
        )
        == GovernanceError.NOT_NEAR_RELATIVE
    )
    assert (
        code_of(
            e.proxy_authorize,
            actor=village.community_worker,
            election=village.election,
            principal=second.pk,
            proxy=elder.pk,
            relation="neighbour",
            authorization_ref="委托书001",
        )
        == GovernanceError.NOT_NEAR_RELATIVE
    )
    e.proxy_authorize(
        actor=village.community_worker,
        election=village.election,
        principal=second.pk,
        proxy=elder.pk,
        relation="child",
        authorization_ref="委托书001",
    )
    e.proxy_authorize(
        actor=village.community_worker,
        election=village.election,
        principal=third.pk,
        proxy=elder.pk,
        relation="child",
        authorization_ref="委托书002",
    )
    assert (
        code_of(
            e.proxy_authorize,
            actor=village.community_worker,
            election=village.election,
            principal=fourth.pk,
            proxy=elder.pk,
            relation="child",
            authorization_ref="委托书003",
        )
        == GovernanceError.PROXY_OVER_CAP
    )
    assert Proxy.objects.filter(election=village.election).count() == 2
    assert [p["relation"] for p in e.proxies_published(village.election)] == ["child", "child"]

    # Counts per box, entered twice by different people and compared.
    applicant, elder_c, third_c = (str(c.pk) for c in candidates)
    clerk = make_staff(Role.COMMUNITY_WORKER, village.community_a)
    e.count_enter(
        actor=village.community_worker,
        election=village.election,
        box="1",
        entry=1,
        ballots=4,
        votes={applicant: 3, elder_c: 4, third_c: 1},
    )
    e.count_enter(
        actor=clerk,
        election=village.election,
        box="1",
        entry=2,
        ballots=4,
        votes={applicant: 3, elder_c: 4, third_c: 2},
    )
    assert code_of(e.result_declare, actor=village.community_worker, election=village.election) == (
        GovernanceError.COUNTS_DIFFER
    )
    box = village.election.counts.get(box="1", entry=2)
    box.votes[third_c] = 1
    box.save(update_fields=["votes"])
    result = e.result_declare(actor=village.community_worker, election=village.election)
    # 4 of 7 voters voted (more than half): valid; more than half of 4 is 3 or more.
    assert result == {
        "valid": True,
        "voters": 7,
        "cast": 4,
        "elected": [candidates[0].pk, candidates[1].pk][::-1],
        "seats_unfilled": 1,
        "final": False,
        "further_round": None,
    }
    assert set(village.election.candidates.values_list("status", flat=True)) == {"elected", "not_elected"}


def test_an_election_short_of_half_the_voters_is_invalid(village):
    e.roll_compile(actor=village.community_worker, election=village.election)  # 7 voters
    candidate = e.candidate_nominate(
        actor=village.community_worker,
        election=village.election,
        resident=village.applicant.pk,
        review=ALL_MET,
        reviewed_by=["公安"],
    )
    clerk = make_staff(Role.COMMUNITY_WORKER, village.community_a)
    for user, entry in ((village.community_worker, 1), (clerk, 2)):
        e.count_enter(
            actor=user,
            election=village.election,
            box="A",
            entry=entry,
            ballots=3,
            votes={str(candidate.pk): 3},
        )
    result = e.result_declare(actor=village.community_worker, election=village.election)
    assert (result["valid"], result["cast"], result["voters"], result["elected"]) == (
        False,
        3,
        7,
        [],
    )  # 3 of 7 is not more than half
    village.election.refresh_from_db()
    assert village.election.status == Election.Status.INVALID


def test_roll_additions_and_objections_over_http(village):
    from tests.helpers import assert_error, client_for

    e.roll_compile(actor=village.community_worker, election=village.election)
    client = client_for(village.community_worker)
    url = f"/api/v1/governance/elections/{village.election.pk}/"
    village.neighbour.residence_type = Resident.ResidenceType.FLOATING
    village.neighbour.moved_in_on = date(2015, 3, 1)
    village.neighbour.save(update_fields=["residence_type", "moved_in_on"])
    RollEntry.objects.filter(election=village.election, resident=village.neighbour).delete()
    added = client.post(
        f"{url}roll-additions/",
        {"resident": village.neighbour.pk, "approved_by_meeting": "村民代表会议"},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert (added.json()["resident"], added.json()["basis"]) == (village.neighbour.pk, "living_here")
    assert village.neighbour.pk in on_roll(village)

    filed = client.post(
        f"{url}objections/", {"resident": village.neighbour.pk, "content": "我在本村居住三年"}, format="json"
    )
    assert filed.status_code == 201, filed.content
    assert [row["id"] for row in client.get(f"{url}objections/").json()["results"]] == [filed.json()["id"]]
    decided = client.post(f"{url}objections/{filed.json()['id']}/decide/", {"upheld": True}, format="json")
    assert (decided.json()["upheld"], decided.json()["decided_on"]) == (
        True,
        timezone.localdate().isoformat(),
    )
    assert_error(
        client.post(f"{url}objections/{filed.json()['id']}/decide/", {"upheld": False}, format="json"),
        409,
        "out_of_window",
    )
    away = village.family[1]
    declared = client.post(
        f"{url}away-declarations/", {"resident": away.pk, "will_vote": False}, format="json"
    )
    assert declared.status_code == 200, declared.content
    assert RollEntry.objects.get(election=village.election, resident=away).away_will_vote is False
    added_here = {"resident": village.neighbour.pk, "will_vote": True}
    assert_error(
        client.post(f"{url}away-declarations/", added_here, format="json"), 400, "invalid", ["resident"]
    )
    stranger = client_for(village.worker_b)
    assert stranger.get(f"{url}objections/").status_code == 404
    from tests.world import make_resident_record

    elsewhere = make_resident_record(village.grid_b1)
    refused = client.post(f"{url}objections/", {"resident": elsewhere.pk, "content": "x"}, format="json")
    assert_error(refused, 400, "invalid", ["resident"])
