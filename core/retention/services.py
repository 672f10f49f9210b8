"""Applying the retention rules every part declares (core.extensions.RetentionRule).

PIPL art. 19: personal information is kept no longer than its purpose needs; art. 47: when the
period ends it is deleted (or anonymized, art. 73(4): it can no longer identify the person and
cannot be restored). Each rule is one set-based statement (a DELETE, or an UPDATE of the expired
rows not yet anonymized), in its own transaction with the audit row that counts what it removed.
Running twice finds nothing the second time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from core.audit.services import audit_record
from core.extensions.contributions import RetentionRule
from core.pii.fields import EncryptedTextField

logger = logging.getLogger("smartcommunity.retention")


@dataclass(frozen=True)
class Applied:
    rule: str
    model: str
    action: str
    count: int


def cutoff_day(rule: RetentionRule, today: date) -> date:
    """The first day still kept: `keep_years` years (and `keep_days` days) before today."""
    year = today.year - rule.keep_years
    try:
        day = today.replace(year=year)
    except ValueError:  # 29 February in a year without one
        day = today.replace(year=year, day=28)
    return day - timedelta(days=rule.keep_days)


def _field_at(model, lookup: str) -> models.Field:
    *relations, name = lookup.split(LOOKUP_SEP)
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def expired(rule: RetentionRule, *, today: date | None = None):
    """The rows of the rule's model whose period has ended."""
    model = apps.get_model(rule.model)
    day = cutoff_day(rule, today or timezone.localdate())
    limit: date | datetime = day
    if isinstance(_field_at(model, rule.starts), models.DateTimeField):
        limit = timezone.make_aware(datetime.combine(day, time.min))
    return model._base_manager.filter(**{f"{rule.starts}__lt": limit}, **rule.where)


def _already_anonymized(model, values: dict) -> Q | None:
    """Rows already holding every anonymized value that can be compared in SQL (encrypted and
    JSON columns cannot): left alone, so a second run changes and counts nothing."""
    comparable = {
        name: value
        for name, value in values.items()
        if not isinstance(model._meta.get_field(name), EncryptedTextField | models.JSONField)
    }
    return Q(**comparable) if comparable else None


def apply_rule(rule: RetentionRule, *, today: date | None = None) -> Applied:
    model = apps.get_model(rule.model)
    with transaction.atomic():
        rows = expired(rule, today=today)
        if rule.action == "delete":
            count = rows.count()
            if count:
                rows.delete()
        else:
            done = _already_anonymized(model, rule.anonymize)
            if done is not None:
                rows = rows.exclude(done)
            count = rows.update(**rule.anonymize)
        if count:
            audit_record(
                actor=None,
                action=f"retention.{rule.action}",
                object_type=model._meta.label_lower,
                extra={
                    "rule": rule.key,
                    "count": count,
                    "kept_from": cutoff_day(rule, today or timezone.localdate()).isoformat(),
                    "basis": rule.rule,
                },
            )
    return Applied(rule=rule.key, model=rule.model, action=rule.action, count=count)


def apply_all(*, today: date | None = None) -> list[Applied]:
    """Every declared rule, in key order; one failing rule does not stop the others."""
    from core.extensions.registry import registry

    applied = []
    for rule in sorted(registry.items(RetentionRule.kind), key=lambda r: r.key):
        try:
            applied.append(apply_rule(rule, today=today))
        except Exception:
            logger.exception("retention rule %s failed", rule.key)
    return applied
