"""The data migrations that moved stored keys under their app's label run both ways."""

from __future__ import annotations

import importlib
import types

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.models import User
from core.extensions.key_renames import rename_stored_keys
from core.notices.models import Notice, NoticePreference

NOTICES_MIGRATION = importlib.import_module("core.notices.migrations.0003_contribution_keys_under_app_labels")


def run(operation, *, backwards: bool = False) -> None:
    editor = types.SimpleNamespace(connection=connection)  # all RunPython needs of it here
    (operation.reverse_code if backwards else operation.code)(apps, editor)


@pytest.mark.django_db
def test_notice_kinds_and_preferences_are_renamed_forward_and_back():
    user = User.objects.create_user(username="renamed")
    notice = Notice.objects.create(kind="event.assigned", title="t", recipient=user)
    untouched = Notice.objects.create(kind="affairs.application", title="t", recipient=user)
    preference = NoticePreference.objects.create(user=user, kind="system", channels=["in_app"])

    for operation in NOTICES_MIGRATION.Migration.operations:
        run(operation)
    kinds = lambda: (  # noqa: E731
        Notice.objects.get(pk=notice.pk).kind,
        Notice.objects.get(pk=untouched.pk).kind,
        NoticePreference.objects.get(pk=preference.pk).kind,
    )
    assert kinds() == ("workflow.event_assigned", "affairs.application", "notices.system")

    for operation in reversed(NOTICES_MIGRATION.Migration.operations):
        run(operation, backwards=True)
    assert kinds() == ("event.assigned", "affairs.application", "system")


@pytest.mark.django_db
def test_a_rename_is_one_update_per_key_whatever_the_rows():
    user = User.objects.create_user(username="many")
    Notice.objects.bulk_create(Notice(kind="system", title=str(i), recipient=user) for i in range(30))
    operation = rename_stored_keys(
        "notices.Notice", "kind", {"system": "notices.system", "gone": "notices.gone"}
    )
    with CaptureQueriesContext(connection) as queries:
        run(operation)
    assert len(queries) == 2
    assert set(Notice.objects.values_list("kind", flat=True)) == {"notices.system"}
