"""PostgreSQL: every ``tsv`` lexeme carries its document's year ("2024~救助").

Each year's posting lists are then separate inside the one GIN index, so the
broad plan can ask one year at a time for its newest matches (a year with
none answers at once) instead of walking every newer row
(backends.PostgresBackend, docs/search.md).  The rewrite is one UPDATE in
SQL with the GIN index dropped and built again after it (far faster than
maintaining it row by row); the table is locked meanwhile (1M rows:
minutes), so run it in a maintenance window with the app servers stopped.
The column's statistics target goes to 1,000: ANALYZE then keeps the 10,000
most common lexemes, down to about 0.2 % of the rows — the per-year frequencies from which broad totals and walk
budgets are estimated.  SQLite: nothing to do.  Reversing strips the year.
"""

from django.db import migrations

# A token never holds "~" (letters and digits only), so a lexeme with one
# carries its year already: both directions leave such rows as they are
# (a row indexed by the new code before ``migrate`` ran, or the other way
# round), and running either twice changes nothing.
YEARS = (
    "UPDATE search_searchdocument SET tsv = array_to_tsvector(ARRAY("
    "SELECT CASE WHEN strpos(l, '~') = 0 THEN year::text || '~' || l ELSE l END "
    "FROM unnest(tsvector_to_array(tsv)) AS l)) "
    "WHERE tsv IS NOT NULL"
)
NO_YEARS = (
    "UPDATE search_searchdocument SET tsv = array_to_tsvector(ARRAY("
    "SELECT substr(l, strpos(l, '~') + 1) FROM unnest(tsvector_to_array(tsv)) AS l)) "
    "WHERE tsv IS NOT NULL"
)


def _rewrite(update: str, statistics: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS search_doc_tsv")
            cur.execute(update)
            cur.execute("CREATE INDEX search_doc_tsv ON search_searchdocument USING gin (tsv)")
            cur.execute(
                f"ALTER TABLE search_searchdocument ALTER COLUMN tsv SET STATISTICS {statistics}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pg_tsv_4grams")]

    operations = [migrations.RunPython(_rewrite(YEARS, 1000), _rewrite(NO_YEARS, -1))]
