from django.db import migrations


def install_builtins(apps, schema_editor):
    from affairs import builtins

    builtins.install(
        apps.get_model("affairs", "ServiceItem"),
        apps.get_model("affairs", "RequiredMaterial"),
        apps.get_model("affairs", "AssistanceStandard"),
    )


class Migration(migrations.Migration):
    dependencies = [("affairs", "0001_catalogue_applications_benefits")]

    operations = [migrations.RunPython(install_builtins, migrations.RunPython.noop)]
