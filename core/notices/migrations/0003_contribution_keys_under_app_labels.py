"""Notice kinds are keyed `<app_label>.<name>` (core.extensions.registry); the event notices are
declared by core.workflow and the import notice by core.imports. Rename stored notices and
people's preferences."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys

NOTICE_KINDS = {
    "event.assigned": "workflow.event_assigned",
    "event.escalated": "workflow.event_escalated",
    "event.state_changed": "workflow.event_state_changed",
    "import.finished": "imports.finished",
    "system": "notices.system",
}


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_role_keys_from_declarations")]

    operations = [
        rename_stored_keys("notices.Notice", "kind", NOTICE_KINDS),
        rename_stored_keys("notices.NoticePreference", "kind", NOTICE_KINDS),
    ]
