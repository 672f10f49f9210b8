"""Event types are keyed `<app_label>.<name>` (core.extensions.registry): rename stored events."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys

EVENT_TYPES = {
    "general_request": "workflow.general_request",
    "registry_correction": "accounts.correction_request",  # declared by core.accounts
}


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_generic_event_sources")]

    operations = [rename_stored_keys("workflow.Event", "type", EVENT_TYPES)]
