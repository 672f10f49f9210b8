"""Indexes for resident search at a city's size (issue 12); see core.registry.filters.name_q.

- name, prefix (varchar_pattern_ops): a name starting with a 1–2 character query (张, 张伟).
- reverse(name), prefix (text_pattern_ops, PostgreSQL only): a name ending with it (伟 → 张伟,
  小明 → 王小明). Expression indexes with an operator class cannot be declared portably in
  Resident.Meta, so it is created here, like the trigram index of 0003; SQLite needs none.
- name_pinyin, prefix: full pinyin typed from the start (zhangwei); initials already have one.
- The trigram index (0003, 3 characters or more) keeps a pending list of at most 256 kB instead of
  4 MB: GIN reads its whole pending list on every search until (auto)vacuum merges it, which
  after an import made a search that matches nothing cost ~12 ms instead of 0.1 ms.
"""

from django.db import migrations, models

SUFFIX_INDEX = "resident_name_suffix_idx"
TRIGRAM_INDEX = "resident_name_trgm_idx"


def create_suffix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SUFFIX_INDEX} ON registry_resident (reverse(name) text_pattern_ops)"
        )
        schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} SET (gin_pending_list_limit = 256)")


def drop_suffix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SUFFIX_INDEX}")
        schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_place_name_pinyin_aliases_code_approval"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["name"], name="resident_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["name_pinyin"], name="resident_pinyin_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.RunPython(create_suffix_index, drop_suffix_index),
    ]
