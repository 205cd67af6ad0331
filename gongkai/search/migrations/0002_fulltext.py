"""The full-text index over SearchEntry.tokens, per database.

SQLite: an external-content FTS5 table (rowid = item id) kept in step by the
indexing service. PostgreSQL: a GIN index on to_tsvector('simple', tokens).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "tokens, content='search_searchentry', content_rowid='item_id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_tokens_gin ON search_searchentry USING GIN (to_tsvector('simple', tokens))"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_tokens_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
