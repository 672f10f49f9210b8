from __future__ import annotations

import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from core.accounts.models import RoleAssignment, User
from core.accounts.roles import Role, role_label
from core.imports.demo import DEMO_ACCOUNTS
from core.imports.synthetic import REFERENCE_DATE
from core.pii.validators import validate_id_number, validate_mobile
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.management.commands.seed_demo import DEMO_PASSWORD, DISTRICTS
from core.registry.models import House, Household, Resident, ResidentTag

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """What a seed decides, independent of database ids and of the random nonces of encryption."""
    return list(
        Resident.objects.order_by("id").values_list(
            "name",
            "document_number_index",
            "mobile_index",
            "birth_date",
            "sex",
            "relation",
            "residence_type",
            "household__number",
            "house__address",
            "region__name",
            "region__parent__name",
        )
    ) + list(
        # The register's own tags (a benefit's tag names its application, numbered anew each time).
        ResidentTag.objects.exclude(source=ResidentTag.Source.BENEFIT)
        .order_by("id")
        .values_list("resident__document_number_index", "tag", "attributes")
    )


def seeded(**options) -> tuple[list[tuple], dict[str, int]]:
    """What a seed makes in an empty database: the register's snapshot and every table's row count
    (what the parts add to the demo included), then all of it rolled back."""
    with transaction.atomic():
        seed(**options)
        taken = snapshot()
        counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
        transaction.set_rollback(True)
    return taken, counts


def core_roles():
    """The demo accounts' own roles (core's), not those the parts' demo data add."""
    accounts = [username for username, _name, _superuser, _role in DEMO_ACCOUNTS]
    return RoleAssignment.objects.filter(user__username__in=accounts, role__startswith="accounts.")


def test_builds_wuhu_with_its_seven_county_level_divisions():
    seed(residents=0)
    city = Region.objects.get(level=Region.Level.CITY)
    assert (city.name, city.code) == ("芜湖市", "340200")
    districts = Region.objects.filter(parent=city).values_list("name", "code")
    assert sorted(districts) == sorted(DISTRICTS)
    assert {code for _name, code in DISTRICTS} == {
        "340202", "340209", "340207", "340210", "340212", "340223", "340281"
    }  # fmt: skip
    grids = Region.objects.filter(level=Region.Level.GRID)
    assert grids.count() == 7 * 2 * 2 * 2
    grid = grids.first()
    assert grid.path.startswith(city.path) and grid.path.count("/") == 6


def test_the_tree_grows_with_the_number_of_residents():
    from core.imports.demo import tree_shape

    assert tree_shape(2_000) == tree_shape(50_000)
    big = tree_shape(1_000_000)
    grids = 7 * big.streets * big.communities * big.grids
    assert 500 <= 1_000_000 / grids <= 2_000  # about a thousand residents per grid


def test_fills_the_register_with_valid_unique_people():
    output = seed(residents=600, seed=3)
    assert "residents/s" in output
    residents = list(Resident.objects.all())
    assert len(residents) == 600
    numbers = [r.document_number_encrypted for r in residents]
    assert len(set(numbers)) == 600
    for resident in residents[:200]:
        number = resident.document_number_encrypted
        assert validate_id_number(number) == number
        assert number[:4] in {"3402", "3401", "3403", "3405", "3418", "3415", "3408", "3201", "3601", "4201"}
        assert resident.birth_date <= REFERENCE_DATE and resident.birth_date == date(
            int(number[6:10]), int(number[10:12]), int(number[12:14])
        )
        assert resident.sex == ("M" if int(number[16]) % 2 else "F")
        if resident.mobile_encrypted:
            assert validate_mobile(resident.mobile_encrypted) == resident.mobile_encrypted
        assert resident.region.level == Region.Level.GRID and resident.region_path == resident.region.path
        assert resident.house.region_id == resident.region_id
    households = Household.objects.all()
    assert households.filter(householder__isnull=True).count() == 0
    sizes = [h.members.count() for h in households]
    assert max(sizes) <= 4 and min(sizes) >= 1
    assert House.objects.filter(occupancy=House.Occupancy.VACANT).exists()


def test_tag_rates_are_realistic():
    seed(residents=4000, seed=11)
    total = Resident.objects.count()
    today = REFERENCE_DATE

    def share(count: int) -> float:
        return count / total

    elderly = Resident.objects.filter(birth_date__lte=today.replace(year=today.year - 60)).count()
    minors = Resident.objects.filter(birth_date__gt=today.replace(year=today.year - 18)).count()
    assert 0.16 <= share(elderly) <= 0.25
    assert 0.12 <= share(minors) <= 0.24

    def tagged(tag: str) -> float:
        return share(ResidentTag.objects.filter(tag=tag).values("resident").distinct().count())

    assert 0.045 <= tagged("registry.disability") <= 0.075
    assert 0.01 <= tagged("registry.dibao") <= 0.035
    assert 0.05 <= tagged("registry.party_member") <= 0.09
    assert 0.004 <= tagged("registry.veteran") <= 0.02
    assert 0.01 <= tagged("registry.living_alone") <= 0.05
    alone = ResidentTag.objects.filter(tag="registry.living_alone").values_list(
        "resident__household", flat=True
    )
    assert all(Household.objects.get(pk=pk).members.count() == 1 for pk in alone[:20])
    disability = ResidentTag.objects.filter(tag="registry.disability").first()
    assert disability.attributes["grade"] in (1, 2, 3, 4) and disability.attributes["category"]


def test_same_seed_same_data_other_seed_other_data():
    first, counts = seeded(residents=300, seed=7)
    assert first and counts["registry.Resident"] == 300 and counts["party_building.Member"] > 0
    assert seeded(residents=300, seed=7) == (first, counts)
    other, _counts = seeded(residents=300, seed=8)
    assert other != first


def test_is_idempotent():
    seed(residents=200, seed=7)
    regions = list(Region.objects.values_list("path", "name"))
    roles = RoleAssignment.objects.count()
    output = seed(residents=200, seed=7)
    assert "already has a register" in output
    assert list(Region.objects.values_list("path", "name")) == regions
    assert Resident.objects.count() == 200
    # The demo accounts' core roles, once; the parts' demo data adds roles of their own (safety's
    # key-person worker, governance's voters), once too.
    assert core_roles().count() == 5
    assert RoleAssignment.objects.count() == roles


def test_prints_logins_that_work_with_their_roles():
    output = seed(residents=100)
    assert DEMO_PASSWORD in output
    for username in ("admin", "worker", "gridlead", "street", "street2", "district"):
        assert username in output
        request = RequestFactory().post("/admin/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None
    assert User.objects.get(username="admin").is_superuser
    worker = User.objects.get(username="worker")
    assert not worker.is_superuser
    roles = dict(core_roles().values_list("user__username", "role"))
    assert roles == {
        "worker": Role.COMMUNITY_WORKER,
        "gridlead": Role.GRID_WORKER,
        "street": Role.STREET_STAFF,
        "street2": Role.STREET_STAFF,
        "district": Role.DISTRICT_STAFF,
    }
    # Each login is printed with its core role first: a newcomer signs in as the community worker
    # (the roles the parts' demo data add to it follow).
    (line,) = [line for line in output.splitlines() if line.split()[:1] == ["worker"]]
    assert line.split("  ")[-1].startswith(f"{role_label(Role.COMMUNITY_WORKER)} · {worker.region.name}")
    district = core_roles().get(user__username="district")
    assert district.region.level == Region.Level.DISTRICT
    # The district above the demo community: its staff see the community's residents.
    assert scope_for(User.objects.get(username="district")).covers(worker.region.path)
    lead = core_roles().get(user__username="gridlead")
    assert lead.is_lead and lead.region.level == Region.Level.GRID
    # The community worker sees the residents of their community, and only those.
    visible = Resident.objects.visible_to(worker)
    assert 0 < visible.count() < Resident.objects.count()
    assert scope_for(worker).covers(visible.first().region_path, "registry.reveal")


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()


def test_accounts_that_need_a_second_factor_can_sign_in_with_what_is_printed():
    from io import StringIO

    from django.core.management import call_command

    from core.accounts.two_factor import requires_two_factor, verify_code

    output = seed(residents=50)
    street = User.objects.get(username="street")
    assert requires_two_factor(street) and "demo_totp street" in output
    district = User.objects.get(username="district")
    assert requires_two_factor(district) and "demo_totp district" in output
    assert not requires_two_factor(User.objects.get(username="worker"))
    fresh = StringIO()
    call_command("demo_totp", "street", stdout=fresh)
    assert verify_code(street, fresh.getvalue().strip()) is not None
