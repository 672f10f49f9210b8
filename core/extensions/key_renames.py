"""Data migrations that rename stored contribution keys (event types, notice kinds, tag kinds …)
when a declaration's key changes, in both directions."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import migrations


def rename_stored_keys(model: str, field: str, renames: Mapping[str, str]) -> migrations.RunPython:
    """A reversible operation renaming `field` values of `model` ("app_label.Model"): old -> new
    going forward, new -> old going back. One UPDATE per key, whatever the number of rows."""
    app_label, model_name = model.split(".")
    backwards = {new: old for old, new in renames.items()}

    def rename(mapping: Mapping[str, str]):
        def run(apps, schema_editor) -> None:
            rows = apps.get_model(app_label, model_name)._base_manager.using(schema_editor.connection.alias)
            for old, new in mapping.items():
                rows.filter(**{field: old}).update(**{field: new})

        return run

    return migrations.RunPython(rename(renames), rename(backwards), elidable=False)
