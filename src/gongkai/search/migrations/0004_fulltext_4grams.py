"""Re-fill the SQLite FTS5 index with bigrams *and* 4-grams (see gongkai.search.text).

The table's schema is unchanged; its tokens are not: a contentless table can
only forget rows by their exact old tokens, so it is emptied ('delete-all')
and re-fed from the stored normalised text of every search document, then
merged into one segment ('optimize').  PostgreSQL keeps its bigram tsvector:
nothing to do there.  Reversing re-fills it with bigrams only.
"""

from django.db import migrations

BATCH = 5000


def _refill(index_string):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            last = 0
            while True:
                cur.execute(
                    "SELECT id, title_norm, number_norm, body_norm FROM search_searchdocument "
                    "WHERE id > %s ORDER BY id LIMIT %s",
                    [last, BATCH],
                )
                rows = cur.fetchall()
                if not rows:
                    break
                cur.executemany(
                    "INSERT INTO search_fts(rowid, title, number, body) VALUES (%s, %s, %s, %s)",
                    [(pk, index_string(t), index_string(n), index_string(b)) for pk, t, n, b in rows],
                )
                last = rows[-1][0]
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    return run


def _bigrams_only(norm: str) -> str:
    from gongkai.search.text import index_tokens

    return " ".join(index_tokens(norm))


def _current(norm: str) -> str:
    from gongkai.search.text import index_string

    return index_string(norm)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_portal_indexes")]

    operations = [migrations.RunPython(_refill(_current), _refill(_bigrams_only))]
