"""The place-name register (地名) kept as a place-name office keeps it: pinyin by the rules for
place names, former names and aliases with their dates, the national database code, approval by
a second person, no two places of one name in a region. docs/place-names.md."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from core.accounts.roles import Role
from core.api.errors import ApplicationError, Conflict, Forbidden
from core.audit.models import AuditEvent
from core.registry import services
from core.registry.errors import RegistryError
from core.registry.models import PlaceName, PlaceNameAlias
from core.registry.place_pinyin import place_name_pinyin
from tests.helpers import assert_error, client_for
from tests.world import make_staff

LIST = "/api/v1/registry/place-names/"


def detail(place_name, suffix="") -> str:
    return f"{LIST}{place_name.pk}/{suffix}"


def code_of(error: ApplicationError) -> str:
    return str(error.code)


def proposed(world, *, actor=None, name="滨江路", standard_name="滨江路", region=None):
    return services.place_name_create(
        actor=actor,
        region=region or world.community_a,
        kind="road",
        name=name,
        status="standard",
        standard_name=standard_name,
    )


def standard(world, *, name="滨江路", standard_name="滨江路", region=None):
    """A standard place name: proposed by the community worker, approved by the secretary."""
    place_name = proposed(
        world, actor=world.community_worker, name=name, standard_name=standard_name, region=region
    )
    return services.place_name_approve(actor=world.secretary, place_name=place_name)


# --- pinyin (GB 17733-2008; 中国地名汉语拼音字母拼写规则（汉语地名部分）) -----------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("滨江路", "Binjiang Lu"),  # proper name and generic part apart, each capitalised
        ("滨江大道", "Binjiang Dadao"),  # the longest generic part
        ("中山东路", "Zhongshan Donglu"),  # a one-syllable modifier joins the generic part
        ("和平小区", "Heping Xiaoqu"),
        ("西安路", "Xi'an Lu"),  # apostrophe before an inner a/o/e
        ("女儿街", "Nü'er Jie"),  # ü kept, no tone marks
        ("周口店", "Zhoukoudian"),  # no generic part: one word
    ],
)
def test_pinyin_follows_the_place_name_spelling_rules_gb17733(name, expected):
    assert place_name_pinyin(name) == expected


def test_pinyin_is_computed_on_save_from_the_standard_name(world):
    place_name = services.place_name_create(
        actor=world.community_worker,
        region=world.community_a,
        kind="road",
        name="江边路",
        status="nonstandard",
    )
    assert place_name.pinyin == "Jiangbian Lu"
    approved = standard(world, name="滨江一路", standard_name="滨江路")
    assert PlaceName.objects.get(pk=approved.pk).pinyin == "Binjiang Lu"


# --- approval by a second person ------------------------------------------------------------


def test_a_name_asked_for_as_standard_waits_for_a_second_person(world):
    place_name = proposed(world, actor=world.community_worker)
    assert place_name.status == PlaceName.Status.PENDING and place_name.standard_name == ""
    assert place_name.proposed_standard_name == "滨江路" and place_name.proposed_by == world.community_worker

    approved = services.place_name_approve(actor=world.secretary, place_name=place_name)
    assert approved.status == PlaceName.Status.STANDARD and approved.standard_name == "滨江路"
    assert approved.standard_since == date.today() and not approved.has_proposal
    assert AuditEvent.objects.filter(action="registry.place_name.approve", actor=world.secretary).exists()


def test_the_proposer_never_approves_their_own_proposal(world):
    place_name = proposed(world, actor=world.secretary)
    with pytest.raises(Forbidden) as refused:
        services.place_name_approve(actor=world.secretary, place_name=place_name)
    assert code_of(refused.value) == RegistryError.PLACE_NAME_OWN_PROPOSAL
    assert PlaceName.objects.get(pk=place_name.pk).status == PlaceName.Status.PENDING


def test_a_worker_without_the_approving_permission_cannot_approve(world):
    place_name = proposed(world, actor=world.community_worker)
    with pytest.raises(Forbidden):
        services.place_name_approve(actor=world.grid_worker, place_name=place_name)


def test_moving_a_nonstandard_name_to_standard_is_a_proposal_until_approved(world):
    place_name = services.place_name_create(
        actor=world.community_worker, region=world.community_a, kind="road", name="老街", status="nonstandard"
    )
    services.place_name_update(
        actor=world.community_worker,
        place_name=place_name,
        data={"status": "standard", "standard_name": "古城街"},
    )
    unchanged = PlaceName.objects.get(pk=place_name.pk)
    assert unchanged.status == PlaceName.Status.NONSTANDARD and unchanged.standard_name == ""
    assert unchanged.proposed_standard_name == "古城街"
    assert AuditEvent.objects.filter(action="registry.place_name.propose").count() == 1
    # A second proposal waits for the first to be decided.
    with pytest.raises(Conflict) as refused:
        services.place_name_update(
            actor=world.community_worker,
            place_name=unchanged,
            data={"standard_name": "古城大街", "status": "standard"},
        )
    assert code_of(refused.value) == RegistryError.PLACE_NAME_PROPOSAL_OPEN


def test_a_rejected_proposal_leaves_the_name_as_it_was_and_says_why(world):
    place_name = standard(world)
    services.place_name_update(
        actor=world.community_worker, place_name=place_name, data={"standard_name": "滨江大道"}
    )
    rejected = services.place_name_reject(
        actor=world.street_staff, place_name=place_name, reason="与邻区重名"
    )
    assert rejected.standard_name == "滨江路" and rejected.status == PlaceName.Status.STANDARD
    assert not rejected.has_proposal
    event = AuditEvent.objects.get(action="registry.place_name.reject")
    assert event.extra["reason"] == "与邻区重名"
    with pytest.raises(Conflict) as refused:
        services.place_name_approve(actor=world.secretary, place_name=rejected)
    assert code_of(refused.value) == RegistryError.PLACE_NAME_NO_PROPOSAL


# --- standard needs a standard name ---------------------------------------------------------


def test_standard_is_refused_with_an_empty_standard_name(world):
    with pytest.raises(ApplicationError) as refused:
        services.place_name_create(
            actor=world.community_worker,
            region=world.community_a,
            kind="road",
            name="滨江路",
            status="standard",
        )
    assert code_of(refused.value) == RegistryError.STANDARD_NAME_REQUIRED
    place_name = standard(world)
    with pytest.raises(ApplicationError) as refused:
        services.place_name_update(
            actor=world.community_worker, place_name=place_name, data={"standard_name": ""}
        )
    assert code_of(refused.value) == RegistryError.STANDARD_NAME_REQUIRED


# --- former names and aliases ---------------------------------------------------------------


def test_an_approved_new_standard_name_keeps_the_old_one_as_a_former_name(world):
    place_name = standard(world, name="滨江路", standard_name="滨江路")
    services.place_name_update(
        actor=world.community_worker, place_name=place_name, data={"standard_name": "滨江大道"}
    )
    assert PlaceName.objects.get(pk=place_name.pk).standard_name == "滨江路"  # until approved
    services.place_name_approve(actor=world.secretary, place_name=place_name)
    former = PlaceNameAlias.objects.get(place_name=place_name)
    assert (former.name, former.kind, former.used_from, former.used_to) == (
        "滨江路",
        "former",
        date.today(),
        date.today(),
    )
    assert PlaceName.objects.get(pk=place_name.pk).pinyin == "Binjiang Dadao"


def test_renaming_the_name_in_use_keeps_the_old_one(world):
    place_name = services.place_name_create(
        actor=world.community_worker,
        region=world.community_a,
        kind="compound",
        name="幸福里",
        status="nonstandard",
    )
    services.place_name_update(actor=world.community_worker, place_name=place_name, data={"name": "幸福花园"})
    assert list(place_name.aliases.values_list("name", "kind")) == [("幸福里", "former")]


def test_an_alias_ends_no_earlier_than_it_starts(world):
    place_name = standard(world)
    with pytest.raises(ApplicationError):
        services.place_name_add_alias(
            actor=world.community_worker,
            place_name=place_name,
            name="江边路",
            kind="former",
            used_from=date(2010, 1, 1),
            used_to=date(2000, 1, 1),
        )


# --- one name per region; the national code -------------------------------------------------


def test_two_places_of_one_name_in_one_region_are_refused(world):
    standard(world, name="滨江路")
    with pytest.raises(Conflict) as refused:
        services.place_name_create(
            actor=world.community_worker,
            region=world.community_a,
            kind="road",
            name="滨江路",
            status="nonstandard",
        )
    assert code_of(refused.value) == RegistryError.PLACE_NAME_TAKEN
    # Another place may not be proposed under a standard name already given here either.
    with pytest.raises(Conflict):
        proposed(world, actor=world.community_worker, name="江边路", standard_name="滨江路")
    # Another region may have its own 滨江路.
    services.place_name_create(
        actor=world.worker_b, region=world.community_b, kind="road", name="滨江路", status="nonstandard"
    )


def test_the_database_refuses_a_duplicate_name_in_a_region_too(world):
    node = world.community_a
    PlaceName.objects.create(
        region=node, region_path=node.path, kind="road", name="滨江路", status="nonstandard"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceName.objects.create(
            region=node, region_path=node.path, kind="road", name="滨江路", status="nonstandard"
        )


@pytest.mark.parametrize("code", ["12345", "990202001001000001", "34020200100100000A", "000202001001000001"])
def test_a_national_code_must_have_the_database_format(world, code):
    with pytest.raises(ApplicationError) as refused:
        services.place_name_create(
            actor=world.community_worker,
            region=world.community_a,
            kind="road",
            name="滨江路",
            national_code=code,
        )
    assert code_of(refused.value) == RegistryError.NATIONAL_CODE_INVALID


def test_a_national_code_belongs_to_one_place(world):
    services.place_name_create(
        actor=world.community_worker,
        region=world.community_a,
        kind="road",
        name="滨江路",
        national_code="340202001001000001",
    )
    services.place_name_create(
        actor=world.community_worker, region=world.community_a, kind="road", name="江边路"
    )
    services.place_name_create(
        actor=world.community_worker, region=world.community_a, kind="road", name="长江路"
    )
    with pytest.raises(Conflict) as refused:
        services.place_name_create(
            actor=world.community_worker,
            region=world.community_a,
            kind="road",
            name="黄河路",
            national_code="340202001001000001",
        )
    assert code_of(refused.value) == RegistryError.NATIONAL_CODE_TAKEN


# --- API ------------------------------------------------------------------------------------


def test_api_propose_then_approve_by_another_person(world):
    worker = client_for(world.community_worker)
    created = worker.post(
        LIST,
        {
            "region": world.community_a.pk,
            "kind": "road",
            "name": "滨江路",
            "status": "standard",
            "standard_name": "滨江路",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["proposal"]["standard_name"] == "滨江路"
    assert body["pinyin"] == "Binjiang Lu"
    place_name = PlaceName.objects.get(pk=body["id"])

    assert_error(worker.post(detail(place_name, "approve/")), 403, "permission_denied")
    approved = client_for(world.secretary).post(detail(place_name, "approve/"))
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "standard" and approved.json()["proposal"] is None


def test_api_the_proposer_holding_the_approving_permission_is_refused(world):
    secretary = client_for(world.secretary)
    place_name = proposed(world, actor=world.secretary)
    assert_error(secretary.post(detail(place_name, "approve/")), 403, RegistryError.PLACE_NAME_OWN_PROPOSAL)
    assert_error(
        secretary.post(detail(place_name, "reject/"), {"reason": "x"}, format="json"),
        403,
        RegistryError.PLACE_NAME_OWN_PROPOSAL,
    )


def test_api_refusals_have_their_codes(world):
    worker = client_for(world.community_worker)
    standard(world)
    duplicate = worker.post(
        LIST,
        {"region": world.community_a.pk, "kind": "road", "name": "滨江路", "status": "nonstandard"},
        format="json",
    )
    assert_error(duplicate, 409, RegistryError.PLACE_NAME_TAKEN, ["name"])
    empty = worker.post(
        LIST,
        {"region": world.community_a.pk, "kind": "road", "name": "江边路", "status": "standard"},
        format="json",
    )
    assert_error(empty, 400, RegistryError.STANDARD_NAME_REQUIRED, ["standard_name"])
    bad_code = worker.post(
        LIST,
        {"region": world.community_a.pk, "kind": "road", "name": "江边路", "national_code": "12"},
        format="json",
    )
    assert_error(bad_code, 400, RegistryError.NATIONAL_CODE_INVALID, ["national_code"])


def test_api_search_finds_a_place_by_pinyin_former_name_or_alias(world):
    place_name = standard(world, name="滨江路", standard_name="滨江路")
    other = services.place_name_create(
        actor=world.community_worker,
        region=world.community_a,
        kind="road",
        name="长江路",
        status="nonstandard",
    )
    worker = client_for(world.community_worker)
    added = worker.post(
        detail(place_name, "aliases/"),
        {"name": "沿江路", "kind": "alias", "used_from": "1998-01-01"},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert [a["name"] for a in added.json()["aliases"]] == ["沿江路"]
    services.place_name_update(
        actor=world.community_worker, place_name=place_name, data={"standard_name": "滨江大道"}
    )
    services.place_name_approve(actor=world.secretary, place_name=place_name)

    def found(**params):
        response = worker.get(LIST, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert found(name="沿江路") == {place_name.pk}  # an alias
    assert found(name="滨江路") == {place_name.pk}  # the former standard name (and the name in use)
    assert found(name="binjiang dadao") == {place_name.pk}  # pinyin, any spacing and case
    assert found(name="Changjiang") == {other.pk}
    assert found(q="沿江") == {place_name.pk}
    by_pinyin = worker.get(LIST, {"ordering": "pinyin"}).json()["results"]
    assert [row["pinyin"] for row in by_pinyin] == ["Binjiang Dadao", "Changjiang Lu"]


def test_api_sibling_community_answers_404_for_every_place_name_route(world):
    place_name = proposed(world, actor=world.community_worker)
    secretary_b = make_staff(Role.COMMUNITY_SECRETARY, world.community_b)
    sibling_secretary, sibling_worker = client_for(secretary_b), client_for(world.worker_b)
    assert_error(sibling_secretary.post(detail(place_name, "approve/")), 404, "not_found")
    assert_error(
        sibling_secretary.post(detail(place_name, "reject/"), {"reason": "x"}, format="json"),
        404,
        "not_found",
    )
    assert_error(
        sibling_worker.post(
            detail(place_name, "aliases/"), {"name": "旧名", "kind": "former"}, format="json"
        ),
        404,
        "not_found",
    )
    assert_error(sibling_worker.get(detail(place_name)), 404, "not_found")
    assert not {row["id"] for row in sibling_worker.get(LIST, {"name": "滨江"}).json()["results"]}
    assert PlaceName.objects.get(pk=place_name.pk).status == PlaceName.Status.PENDING


# --- admin ----------------------------------------------------------------------------------

ADMIN = "/admin/registry/placename/"
ALIAS_INLINE = {f"aliases-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS")}


def test_admin_making_a_name_standard_is_a_proposal_too(client, world):
    place_name = services.place_name_create(
        actor=world.community_worker, region=world.community_a, kind="road", name="老街", status="nonstandard"
    )
    client.force_login(world.community_worker)
    form = {
        "region": world.community_a.pk,
        "kind": "road",
        "name": "老街",
        "standard_name": "古城街",
        "status": "standard",
        "national_code": "",
        "note": "",
        **ALIAS_INLINE,
    }
    response = client.post(f"{ADMIN}{place_name.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = PlaceName.objects.get(pk=place_name.pk)
    assert saved.status == PlaceName.Status.NONSTANDARD and saved.proposed_standard_name == "古城街"

    client.force_login(world.secretary)
    client.post(ADMIN, {"action": "approve_proposals", "_selected_action": [place_name.pk]})
    assert PlaceName.objects.get(pk=place_name.pk).standard_name == "古城街"


def test_admin_shows_a_duplicate_name_as_a_form_error(client, world):
    standard(world, name="滨江路")
    client.force_login(world.community_worker)
    form = {
        "region": world.community_a.pk,
        "kind": "road",
        "name": "滨江路",
        "standard_name": "",
        "status": "nonstandard",
        "national_code": "",
        "note": "",
        **ALIAS_INLINE,
    }
    response = client.post(f"{ADMIN}add/", form)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert PlaceName.objects.filter(name="滨江路").count() == 1
