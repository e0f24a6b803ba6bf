"""Full-text structures per database (see gongkai.search.backends).

SQLite: a contentless FTS5 table over the pre-tokenised bigram strings
(rowid = search_searchdocument.id; unicode61 keeps each bigram as one token).
PostgreSQL: a tsvector column of the distinct bigrams (title weight A, 文号 B,
body D) with a GIN index — built-in, no extension needed.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, number, body, content='', tokenize='unicode61 remove_diacritics 0')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
PG_UP = [
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector",
    "CREATE INDEX search_doc_tsv ON search_searchdocument USING gin (tsv)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS search_doc_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
