"""PostgreSQL: re-fill ``tsv`` with bigrams *and* 4-grams (gongkai.search.text.pg_lexemes).

A 4+ character term is looked up by its 4-grams, as on SQLite ("2024年" is
"2024" & "024年", not the bigrams "20" & "02" & "24" & "4年" held by nearly
every row).  The lexemes carry no weights or positions: relevance is scored
from the normalised columns (backends.PostgresBackend).  Built-in GIN only,
no extension.  SQLite: nothing to do.  Reversing re-fills bigrams only.
"""

from django.db import migrations

BATCH = 2000


def _refill(with_grams: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        from gongkai.search.text import grams, index_tokens

        def lexemes(t, n, b):
            # The lexemes of this migration's time, without the year that
            # migration 0006 adds (text.pg_lexemes is the current form).
            out = set(index_tokens(t)) | set(index_tokens(n)) | set(index_tokens(b))
            if with_grams:
                out |= set(grams(t)) | set(grams(n)) | set(grams(b))
            return sorted(out)

        with schema_editor.connection.cursor() as cur:
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
                    "UPDATE search_searchdocument SET tsv = array_to_tsvector(%s::text[]) "
                    "WHERE id = %s",
                    [(lexemes(t, n, b), pk) for pk, t, n, b in rows],
                )
                last = rows[-1][0]

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fulltext_4grams")]

    operations = [migrations.RunPython(_refill(True), _refill(False))]
