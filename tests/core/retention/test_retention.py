"""Retention (PIPL art. 19, 47): what each part declares expired is anonymized or deleted by one
periodic task, set-based and audited with counts; fresh rows are kept; running twice is harmless."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.audit.models import AuditEvent
from core.extensions import RetentionRule
from core.extensions.registry import Registry, registry
from core.retention.services import apply_all, apply_rule, cutoff_day
from core.retention.tasks import apply_retention

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


def years_ago(years: int, *, days: int = 0) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


@pytest.fixture
def world():
    from tests.world import build_world

    return build_world()


def resident(world, **fields):
    from core.registry.models import Resident
    from tests.world import make_resident_record

    record = make_resident_record(world.grid_a1, name="李四")
    Resident.objects.filter(pk=record.pk).update(birth_date=date(1950, 3, 1), note="腿脚不便", **fields)
    return record


def with_contact_and_tag(record):
    from core.registry.models import Contact, ResidentTag

    Contact.objects.create(resident=record, kind="emergency", name="李小四", relation="子女")
    ResidentTag.objects.create(resident=record, tag="disability", attributes={"grade": 2})


def counts(applied) -> dict[str, int]:
    return {a.rule: a.count for a in applied if a.count}


def test_residents_who_left_more_than_ten_years_ago_are_anonymized_and_their_contacts_and_tags_deleted(world):
    from core.registry.contributions import ANONYMIZED_NAME
    from core.registry.models import Contact, Resident, ResidentTag

    moved_long_ago = resident(world, status="moved_out", moved_out_on=years_ago(10, days=1))
    died_long_ago = resident(world, status="deceased", deceased_on=years_ago(12))
    moved_recently = resident(world, status="moved_out", moved_out_on=years_ago(9))
    living = resident(world, moved_out_on=years_ago(20))  # moved back: status decides, not the date
    for record in (moved_long_ago, died_long_ago, moved_recently, living):
        with_contact_and_tag(record)

    applied = apply_all(today=TODAY)

    assert counts(applied) == {
        "registry.moved_out_residents": 1,
        "registry.moved_out_residents_contacts": 1,
        "registry.moved_out_residents_tags": 1,
        "registry.deceased_residents": 1,
        "registry.deceased_residents_contacts": 1,
        "registry.deceased_residents_tags": 1,
    }
    for expired in (moved_long_ago, died_long_ago):
        expired = Resident.objects.get(pk=expired.pk)
        assert expired.name == ANONYMIZED_NAME and expired.birth_date is None and expired.note == ""
        assert expired.document_number_encrypted == "" and expired.document_number_masked == ""
        assert expired.mobile_encrypted == "" and expired.mobile_index == "" and expired.mobile_masked == ""
        assert not Contact.objects.filter(resident=expired).exists()
        assert not ResidentTag.objects.filter(resident=expired).exists()
    for kept in (moved_recently, living):
        kept = Resident.objects.get(pk=kept.pk)
        assert kept.name == "李四" and kept.mobile_masked and kept.birth_date == date(1950, 3, 1)
        assert Contact.objects.filter(resident=kept).count() == 1
        assert ResidentTag.objects.filter(resident=kept).count() == 1


def test_running_twice_changes_and_audits_nothing_more(world):
    resident(world, status="moved_out", moved_out_on=years_ago(11))
    first = counts(apply_all(today=TODAY))
    audited = list(AuditEvent.objects.filter(action__startswith="retention.").values_list("action", "extra"))
    assert counts(apply_all(today=TODAY)) == {}
    assert AuditEvent.objects.filter(action__startswith="retention.").count() == len(audited) == len(first)
    actions = {(action, extra["rule"], extra["count"]) for action, extra in audited}
    assert ("retention.anonymize", "registry.moved_out_residents", 1) in actions
    assert all(extra["basis"] and extra["kept_from"] for _action, extra in audited)


def test_closed_applications_lose_the_declared_figures_ten_years_after_the_decision(world):
    from affairs.models import Application, ApplicationMember
    from tests.affairs.scope_cases import _application

    def closed(stage: str, decided_on: date) -> Application:
        application = _application(world, world.community_a)
        ApplicationMember.objects.create(
            application=application,
            resident=application.applicant,
            monthly_income=Decimal(1200),
            able_to_work=True,
        )
        decided_at = timezone.make_aware(timezone.datetime.combine(decided_on, timezone.datetime.min.time()))
        Application.objects.filter(pk=application.pk).update(
            stage=stage,
            decided_at=decided_at,
            financial_assets=Decimal(20000),
            details={"school": "镜湖小学"},
            eligibility={"per_capita_income": "600"},
            decision_note="收入超过标准",
        )
        return application

    old_rejection = closed("rejected", years_ago(10, days=1))
    old_approval = closed("approved", years_ago(15))
    recent_withdrawal = closed("withdrawn", years_ago(9))

    assert counts(apply_all(today=TODAY)) == {
        "affairs.closed_applications": 1,
        "affairs.closed_applications_members": 1,
    }
    blanked = Application.objects.get(pk=old_rejection.pk)
    assert (blanked.financial_assets, blanked.details, blanked.eligibility) == (0, {}, {})
    assert blanked.decision_note == "（已匿名）" and blanked.stage == "rejected"  # the decision stays
    assert ApplicationMember.objects.get(application=blanked).monthly_income == 0
    for kept in (old_approval, recent_withdrawal):
        kept = Application.objects.get(pk=kept.pk)
        assert kept.financial_assets == 20000 and kept.details == {"school": "镜湖小学"}
        assert ApplicationMember.objects.get(application=kept).monthly_income == 1200


def test_delivered_hand_offs_are_deleted_after_ninety_days_pending_ones_kept():
    from core.extensions.models import Handoff

    now = timezone.now()
    old = Handoff.objects.create(
        kind="service_hours", idempotency_key="a", status="delivered", delivered_at=now - timedelta(days=91)
    )
    Handoff.objects.create(
        kind="service_hours", idempotency_key="b", status="delivered", delivered_at=now - timedelta(days=89)
    )
    Handoff.objects.create(kind="service_hours", idempotency_key="c")
    assert counts(apply_all()) == {"retention.delivered_handoffs": 1}
    assert not Handoff.objects.filter(pk=old.pk).exists() and Handoff.objects.count() == 2


def test_a_rule_is_applied_by_the_periodic_task():
    beat = registry.get("periodic_tasks", "retention.apply")
    assert beat.task == "retention.apply" and beat.expires_seconds
    assert set(apply_retention.run()) >= {"registry.moved_out_residents", "affairs.closed_applications"}


def test_the_cutoff_counts_whole_years_and_days():
    rule = RetentionRule(
        key="x.y", model="registry.Resident", starts="moved_out_on", keep_years=10, keep_days=2, rule="r"
    )
    assert cutoff_day(rule, date(2026, 12, 4)) == date(2016, 12, 2)
    leap = RetentionRule(key="x.y", model="registry.Resident", starts="moved_out_on", keep_years=1, rule="r")
    assert cutoff_day(leap, date(2028, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [
        ({"model": "registry.Nothing"}, "not an installed model"),
        ({"keep_years": 0}, "positive keep_years"),
        ({"action": "archive"}, "action must be"),
        ({"action": "anonymize"}, "names the fields it blanks"),
        ({"rule": ""}, "rule .* is required"),
    ],
)
def test_a_broken_retention_rule_stops_start_up(declaration, problem):
    values = {"model": "registry.Resident", "starts": "moved_out_on", "keep_years": 1, "rule": "PIPL art. 19"}
    with pytest.raises(ImproperlyConfigured, match=problem):
        Registry().add("registry", RetentionRule(key="registry.bad", **{**values, **declaration}))


def test_a_rule_anonymizes_set_based_in_one_statement_whatever_the_number_of_rows(
    world, django_assert_max_num_queries
):
    resident(world, status="moved_out", moved_out_on=years_ago(11))
    resident(world, status="moved_out", moved_out_on=years_ago(12))
    rule = registry.get("retention_rules", "registry.moved_out_residents")
    # A count-free UPDATE and one audit row, whatever the number of rows (plus savepoints).
    with django_assert_max_num_queries(4):
        assert apply_rule(rule, today=TODAY).count == 2
