"""Indexes for resident search at a city's size (issue 12); see core.registry.filters.name_q.

Each is a prefix index (LIKE 'x%' in any collation) with the region path as second column, so
that within a street or a community the matches are found in the index alone:

- (name, region_path): names starting with a 1–2 character query (张, 张伟).
- (reverse(name), region_path), PostgreSQL only: names ending with it (伟 → 张伟, 小明 → 王小明).
  An expression index with operator classes cannot be declared portably in Resident.Meta, so it
  is created here, like the trigram index of 0003; SQLite needs none.
- (name_pinyin, region_path) and (name_initials, region_path): pinyin and initials typed from
  the start (zhangwei, zw). They replace name_initials' two single-column indexes.

The trigram index (0003, name fragments of 3 characters or more) keeps a pending list of at most
256 kB instead of 4 MB: GIN reads its whole pending list on every search until (auto)vacuum merges
it, which after an import made a search that matches nobody cost ~12 ms instead of 0.1 ms.
"""

from django.db import migrations, models

SUFFIX_INDEX = "resident_name_suffix_idx"
TRIGRAM_INDEX = "resident_name_trgm_idx"
PATTERN_OPS = ["varchar_pattern_ops", "varchar_pattern_ops"]


def create_suffix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SUFFIX_INDEX} ON registry_resident"
            " (reverse(name) text_pattern_ops, region_path varchar_pattern_ops)"
        )
        schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} SET (gin_pending_list_limit = 256)")


def drop_suffix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SUFFIX_INDEX}")
        schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_scoped_list_indexes")]

    operations = [
        migrations.AlterField(
            model_name="resident",
            name="name_initials",
            field=models.CharField(editable=False, max_length=50, verbose_name="name initials"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["name", "region_path"], name="resident_name_prefix_idx", opclasses=PATTERN_OPS
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["name_pinyin", "region_path"],
                name="resident_pinyin_prefix_idx",
                opclasses=PATTERN_OPS,
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["name_initials", "region_path"],
                name="resident_initials_prefix_idx",
                opclasses=PATTERN_OPS,
            ),
        ),
        migrations.RunPython(create_suffix_index, drop_suffix_index),
    ]
