"""Audit `changes` have one shape for every action: {"field": {"old": …, "new": …}}; a creation
from None, a removal to None, and anything else is refused when the row is written."""

from __future__ import annotations

import pytest

from core.audit.models import AuditEvent
from core.audit.services import audit_record, created
from core.extensions import AuditAction
from core.extensions.registry import registry

pytestmark = pytest.mark.django_db

# Codes declared for these tests only, as an app would declare its own (AuditAction).
TEST_ACTIONS = [
    AuditAction(key=f"tests.thing.{name}", name=name) for name in ("update", "create", "remove", "route")
]


@pytest.fixture(autouse=True)
def _declared_actions():
    with registry.temporarily("tests", *TEST_ACTIONS):
        yield


def test_an_update_a_creation_and_a_removal_share_the_shape():
    update = audit_record(
        actor=None, action="tests.thing.update", changes={"name": {"old": "甲", "new": "乙"}}
    )
    creation = audit_record(actor=None, action="tests.thing.create", changes=created(name="甲", level=4))
    removal = audit_record(
        actor=None, action="tests.thing.remove", changes={"name": {"old": "甲", "new": None}}
    )
    action = audit_record(actor=None, action="tests.thing.route", extra={"by": "house"})
    assert AuditEvent.objects.get(pk=update.pk).changes == {"name": {"old": "甲", "new": "乙"}}
    assert AuditEvent.objects.get(pk=creation.pk).changes == {
        "name": {"old": None, "new": "甲"},
        "level": {"old": None, "new": 4},
    }
    assert AuditEvent.objects.get(pk=removal.pk).changes["name"]["new"] is None
    assert AuditEvent.objects.get(pk=action.pk).changes == {}


@pytest.mark.parametrize(
    "changes",
    [
        {"state": ["reported", "accepted"]},  # a pair
        {"ended_on": "2026-01-01"},  # a bare new value
        {"effective_to": {"from": None, "to": "2026-01-01"}},  # other keys
        {"amount": {"old": 1, "new": 2, "why": "x"}},  # more keys
    ],
)
def test_any_other_shape_is_refused_and_nothing_is_written(changes):
    with pytest.raises(ValueError, match="audit changes must be"):
        audit_record(actor=None, action="tests.thing.update", changes=changes)
    assert not AuditEvent.objects.exists()
