"""Newest-first order and filters inside the full-text index.

Entries get `recency` (text.recency_key: the newest-first position), `facets` (the filter values as
index tokens) and `lossy` (too long for PostgreSQL phrase positions).

SQLite: the FTS5 table is re-created over (tokens, facets) with rowid = recency, so a query walks its
matches newest first and stops after a page. PostgreSQL: the expression GIN index is replaced by a
stored tsvector column `vector` (generated from tokens) with a GIN index, so checking a row against a
query reads the vector instead of parsing the text again.
"""

from django.db import migrations, models

FIELDS = ("agency_id", "category_id", "department_id", "year", "validity", "genre")


def drop_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_tokens_gin")


def fill(apps, schema_editor):
    from gongkai.search.text import facet_text, positions_lossy, recency_key

    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.order_by("pk").iterator(chunk_size=1000):
        entry.recency = recency_key(int(entry.published_at.timestamp()), entry.pk)
        entry.facets = facet_text({name: getattr(entry, name) for name in FIELDS})
        entry.lossy = positions_lossy(entry.tokens.split())
        batch.append(entry)
        if len(batch) == 1000:
            SearchEntry.objects.bulk_update(batch, ["recency", "facets", "lossy"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["recency", "facets", "lossy"])


def create_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "tokens, facets, content='search_searchentry', content_rowid='recency', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchentry ADD COLUMN vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED"
        )
        schema_editor.execute("CREATE INDEX search_vector_gin ON search_searchentry USING GIN (vector)")


def drop_new_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector")


def recreate_old_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "tokens, content='search_searchentry', content_rowid='item_id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_tokens_gin ON search_searchentry USING GIN (to_tsvector('simple', tokens))"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(drop_fulltext, recreate_old_fulltext),
        migrations.RemoveIndex(model_name="searchentry", name="search_recent"),
        migrations.RemoveIndex(model_name="searchentry", name="search_agency_recent"),
        migrations.AddField(
            model_name="searchentry", name="recency", field=models.BigIntegerField(null=True)
        ),
        migrations.AddField(
            model_name="searchentry", name="facets", field=models.TextField(blank=True, default="")
        ),
        migrations.AddField(model_name="searchentry", name="lossy", field=models.BooleanField(default=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchentry", name="recency", field=models.BigIntegerField(unique=True)
        ),
        migrations.AlterField(model_name="searchentry", name="facets", field=models.TextField(blank=True)),
        migrations.AlterField(model_name="searchentry", name="agency_id", field=models.BigIntegerField()),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["agency_id", "recency"], name="search_agency_recency"),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["recency", "agency_id", "category_id", "department_id", "year", "validity", "genre"],
                name="search_facets",
            ),
        ),
        migrations.RunPython(create_fulltext, drop_new_fulltext),
    ]
