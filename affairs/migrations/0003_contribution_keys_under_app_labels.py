"""Tag kinds are keyed `<app_label>.<name>` (core.extensions.registry): rename the tags affairs
declares where residents hold them, and every service item's benefit tag (the register's tags
as well as affairs' own)."""

from django.db import migrations

from core.extensions.key_renames import rename_stored_keys

AFFAIRS_TAG_KINDS = {
    key: f"affairs.{key}"
    for key in ("disability_living_subsidy", "disability_care_subsidy", "longevity_allowance")
}
REGISTRY_TAG_KINDS = {key: f"registry.{key}" for key in ("dibao", "tekun", "orphan", "unattended_child")}


class Migration(migrations.Migration):
    dependencies = [
        ("affairs", "0002_builtin_items_and_standards"),
        ("registry", "0005_contribution_keys_under_app_labels"),
    ]

    operations = [
        rename_stored_keys("registry.ResidentTag", "tag", AFFAIRS_TAG_KINDS),
        rename_stored_keys("affairs.ServiceItem", "benefit_tag", AFFAIRS_TAG_KINDS | REGISTRY_TAG_KINDS),
    ]
