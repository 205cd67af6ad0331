"""PostgreSQL: a GIN index over the entries' filter tokens, so that filters narrow the full-text
candidates inside the index (a bitmap AND) instead of on every candidate row."""

from django.db import migrations

FACETS_VECTOR = "array_to_tsvector(string_to_array(facets, ' '))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX search_facets_gin ON search_searchentry USING GIN ({FACETS_VECTOR})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_facets_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_recency_and_facets")]
    operations = [migrations.RunPython(forwards, backwards)]
