"""Reads go to a replica, writes and anything inside a transaction to the primary."""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connections


class ReplicaRouter:
    def _replicas(self) -> list[str]:
        return [alias for alias in settings.DATABASES if alias.startswith("replica")]

    def db_for_read(self, model, **hints):
        # Inside a transaction on the primary, read your own writes.
        if connections["default"].in_atomic_block:
            return "default"
        replicas = self._replicas()
        return random.choice(replicas) if replicas else "default"  # noqa: S311 - load spreading

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
