"""Tag kinds are keyed `<app_label>.<name>` (core.extensions.registry): rename stored tags.
Derived tags (age_60_plus, age_80_plus, minor) are never stored; the benefit tags declared by
affairs are renamed by its own migration."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys

TAG_KINDS = {
    key: f"registry.{key}"
    for key in (
        "living_alone",
        "disability",
        "dibao",
        "tekun",
        "low_income",
        "party_member",
        "veteran",
        "minor_in_difficulty",
        "orphan",
        "unattended_child",
        "key_care",
    )
}


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_tenancy_one_current")]

    operations = [rename_stored_keys("registry.ResidentTag", "tag", TAG_KINDS)]
