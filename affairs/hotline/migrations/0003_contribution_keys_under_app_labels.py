"""Event types are keyed `<app_label>.<name>` (core.extensions.registry): rename stored tickets'
events."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0002_hotlineticket_imported_by_and_more"),
        ("workflow", "0005_contribution_keys_under_app_labels"),
    ]

    operations = [rename_stored_keys("workflow.Event", "type", {"hotline_ticket": "hotline.ticket"})]
