"""Passwords: at least 12 characters, no common or local words; 等保 level 3 adds classes and rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.accounts.passwords import CharacterClassesValidator, CommunityWordsValidator, password_expired
from core.accounts.roles import Role
from core.regions.models import Region
from tests.helpers import assert_error
from tests.world import PASSWORD, make_staff


@pytest.mark.parametrize(
    "password",
    ["Short#1a", "wuhu-Tk7#mQ2!vR9", "Tk7#SHEQU-mQ2!vR9", "xx123456-Tk7#mQ2", "Jinghu#Tk7mQ2!vR"],
)
def test_weak_or_local_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_names_of_places_in_the_tree_count_as_local_words(world):
    Region.objects.create(name="鸠兹社区", level=Region.Level.COMMUNITY, parent=world.street)
    with pytest.raises(ValidationError) as error:
        CommunityWordsValidator().validate("My-JiuZi-Garden-77")
    assert "jiuzi" in error.value.messages[0]
    CommunityWordsValidator().validate(PASSWORD)


def test_dengbao_character_classes():
    validator = CharacterClassesValidator(min_classes=3)
    with pytest.raises(ValidationError):
        validator.validate("onlylowercaseletters")
    with pytest.raises(ValidationError):
        validator.validate("lowercase1234567")
    validator.validate("Lowercase1234567")


def test_rotation_after_90_days_under_dengbao(world, settings, api_client):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    worker.password_changed_at = timezone.now() - timedelta(days=91)
    worker.save()
    assert not password_expired(worker)
    settings.PASSWORD_MAX_AGE_DAYS = 90
    assert password_expired(worker)
    api_client.force_authenticate(None)
    pair = api_client.post(
        "/api/v1/accounts/token/", {"username": worker.username, "password": PASSWORD}
    ).json()
    assert pair["password_change_required"] is True
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert_error(api_client.get("/api/v1/accounts/users/"), 403, "password_change_required")
    changed = api_client.post(
        "/api/v1/accounts/password/change/",
        {"old_password": PASSWORD, "new_password": "Brand-new-Pass9!"},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["password_change_required"] is False
    # The old token is revoked; the new pair works.
    assert api_client.get("/api/v1/accounts/me/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {changed.json()['access']}")
    assert api_client.get("/api/v1/accounts/me/").status_code == 200


def test_password_change_checks_the_current_password_and_the_rules(world, api_client):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    api_client.force_authenticate(worker)
    url = "/api/v1/accounts/password/change/"
    assert_error(
        api_client.post(url, {"old_password": "nope", "new_password": "Brand-new-Pass9!"}),
        400,
        "wrong_password",
        ["old_password"],
    )
    assert_error(
        api_client.post(url, {"old_password": PASSWORD, "new_password": "wuhu12345678"}),
        400,
        "invalid",
        ["new_password"],
    )
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
