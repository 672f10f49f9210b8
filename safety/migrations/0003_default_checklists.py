"""The default checklist items of the six hazard kinds (safety/builtins.py)."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from safety import builtins

    builtins.install(apps.get_model("safety", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_hazard_inspections")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
