"""Event types are keyed `<app_label>.<name>` (core.extensions.registry): rename stored events."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys

EVENT_TYPES = {
    "general_request": "workflow.general_request",
    "registry_correction": "accounts.correction_request",  # declared by core.accounts
}


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_event_waited_working_days")]

    operations = [rename_stored_keys("workflow.Event", "type", EVENT_TYPES)]
