"""Re-tokenise every search entry: Han runs beside words now also give their edge character
(text._run_tokens), and radicals are normalised to their ideograph, so that 3号, 第1条, 2019年度
and 人社发〔2025〕3号 are phrases of the index. Entries indexed before lack those tokens.

SQLite: the external-content FTS5 index is regenerated from the entries afterwards. PostgreSQL: the
stored tsvector follows `tokens` by itself. A tantivy index (settings.SEARCH_TANTIVY_DIR) is of an
older schema version until `manage.py search_index rebuild`; ranked search uses the database order
until then, and `search_index check` says so.
"""

from django.db import migrations

BATCH = 1000


def retokenise(apps, schema_editor):
    from gongkai.search.index import index_tokens
    from gongkai.search.text import positions_lossy

    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    entries = SearchEntry.objects.order_by("pk").only("pk", "text", "tokens", "lossy")
    for entry in entries.iterator(chunk_size=BATCH):
        token_list = index_tokens(entry.text)
        joined = " ".join(token_list)
        if joined == entry.tokens:
            continue
        entry.tokens = joined
        entry.lossy = positions_lossy(token_list)
        batch.append(entry)
        if len(batch) == BATCH:
            SearchEntry.objects.bulk_update(batch, ["tokens", "lossy"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["tokens", "lossy"])
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facets_gin")]
    operations = [migrations.RunPython(retokenise, migrations.RunPython.noop)]
