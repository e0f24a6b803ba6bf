"""The two full-text engines behind one interface (chosen by the connection's vendor).

- SQLite: FTS5 contentless table ``search_fts`` over pre-tokenised bigrams and
  4-grams; a query is one FTS5 phrase per term (bigrams for 2–3 characters,
  4-grams from 4), so a hit contains the term as a substring; ranked by bm25
  (title ×10, 文号/索引号 ×5, body ×1) up to RANK_LIMIT matches.
- PostgreSQL: ``tsv`` = the distinct bigrams (weights A/B/D) with a GIN index;
  the index narrows to rows holding every bigram of the term, then
  ``LIKE '%term%'`` on the normalised columns keeps exactly the substrings;
  ranked by ts_rank.

Recency (published_at, newest first) breaks ties on both.  Only rows whose
item is still public (the source's ``public_sql``: published 主动公开 for
disclosure items) and whose body is active are returned, even if an index row
were stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from gongkai.organizations.models import Organization

from .models import SearchDocument
from .sources import indexed_source
from .text import Query, index_string, pg_lexemes

DOC = SearchDocument._meta.db_table
ORG = Organization._meta.db_table


@dataclass(frozen=True)
class Filters:
    organization_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    year: int | None = None
    kind: str | None = None


def _filter_sql(filters: Filters) -> tuple[str, list]:
    """Conditions on the document (``d``), its body (``o``) and its source row (``i``)."""
    public, params = indexed_source().public_sql("i")
    clauses, doc_params = _doc_clauses(filters)
    return " AND ".join(["o.is_active", public, *clauses]), [*params, *doc_params]


def _doc_clauses(filters: Filters) -> tuple[list[str], list]:
    """The filters that concern the document table (``d``) alone."""
    sql, params = [], []
    if filters.organization_ids is not None:
        ids = filters.organization_ids or (0,)
        sql.append(f"d.organization_id IN ({', '.join(['%s'] * len(ids))})")
        params += list(ids)
    if filters.category_ids is not None:
        ids = filters.category_ids or (0,)
        sql.append(f"d.category_id IN ({', '.join(['%s'] * len(ids))})")
        params += list(ids)
    if filters.year is not None:
        sql.append("d.year = %s")
        params.append(filters.year)
    if filters.kind is not None:
        sql.append("d.kind = %s")
        params.append(filters.kind)
    return sql, params


# Above this many matches bm25 (a few µs per match) is replaced by the tiered,
# unscored order of SQLiteBackend._tiered; see docs/search.md for the figures.
RANK_LIMIT = 2_000


def _inactive_org_ids() -> list[int]:
    return list(Organization.objects.filter(is_active=False).values_list("pk", flat=True))


def _doc_filter_sql(filters: Filters) -> tuple[str, list]:
    """Conditions on the document table only (SQLite path)."""
    sql: list[str] = []
    params: list = []
    inactive = _inactive_org_ids()
    if inactive:
        sql.append(f"d.organization_id NOT IN ({', '.join(['%s'] * len(inactive))})")
        params += inactive
    if filters.organization_ids is not None:
        ids = filters.organization_ids or (0,)
        sql.append(f"d.organization_id IN ({', '.join(['%s'] * len(ids))})")
        params += list(ids)
    if filters.category_ids is not None:
        ids = filters.category_ids or (0,)
        sql.append(f"d.category_id IN ({', '.join(['%s'] * len(ids))})")
        params += list(ids)
    if filters.year is not None:
        sql.append("d.year = %s")
        params.append(filters.year)
    if filters.kind is not None:
        sql.append("d.kind = %s")
        params.append(filters.kind)
    return " AND ".join(sql), params


class SQLiteBackend:
    def add(self, doc: SearchDocument) -> None:
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO search_fts(rowid, title, number, body) VALUES (%s, %s, %s, %s)",
                [doc.pk, *self._strings(doc)],
            )

    def remove(self, doc: SearchDocument) -> None:
        # A contentless FTS5 table forgets a row only when told the exact tokens it
        # indexed; they are rebuilt from the stored normalised text (deterministic).
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO search_fts(search_fts, rowid, title, number, body) "
                "VALUES ('delete', %s, %s, %s, %s)",
                [doc.pk, *self._strings(doc)],
            )

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")

    @staticmethod
    def _strings(doc: SearchDocument) -> list[str]:
        return [index_string(doc.title_norm), index_string(doc.number_norm),
                index_string(doc.body_norm)]  # fmt: skip

    def query(
        self, q: Query, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[int], bool]:
        """FTS5 drives; the document table is joined only when a filter needs it.

        Published/active are not re-checked per match here (the index holds only
        published items, kept in the same transaction); inactive bodies are
        excluded by id, and ``search()`` re-checks the page's items.  Up to
        RANK_LIMIT matches are ordered by bm25 then recency; beyond that title
        matches first, then the rest, each by recency (newest index rows
        first), which FTS5 streams without scoring every match — see
        docs/search.md for the measurements.
        """
        where, params = _doc_filter_sql(filters)
        if where:
            base = (
                f"FROM search_fts CROSS JOIN {DOC} d ON d.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND {where}"
            )
        else:
            base = "FROM search_fts WHERE search_fts MATCH %s"
        args = [q.fts5(), *params]
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) {base}", args)  # noqa: S608 - placeholders only
            total = cur.fetchone()[0]
            if total == 0 or offset >= total:
                return total, [], False
            if total <= RANK_LIMIT:
                cur.execute(
                    f"SELECT search_fts.rowid {base} "  # noqa: S608 - placeholders only
                    "ORDER BY bm25(search_fts, 10.0, 5.0, 1.0), search_fts.rowid DESC "
                    "LIMIT %s OFFSET %s",
                    [*args, limit, offset],
                )
                doc_ids = [row[0] for row in cur.fetchall()]
            else:
                doc_ids = self._tiered(cur, base, q.fts5(), params, limit, offset)
        by_doc = dict(SearchDocument.objects.filter(pk__in=doc_ids).values_list("pk", "item_id"))
        return total, [by_doc[d] for d in doc_ids if d in by_doc], False

    @staticmethod
    def _tiered(cur, base: str, expr: str, params: list, limit: int, offset: int) -> list[int]:
        """Above RANK_LIMIT matches: title matches first, then the others, each newest first.

        Both tiers are streamed by FTS5 in rowid order (newest index rows
        first) and stop after the page, so no match is scored; only the title
        tier is counted (to know where the second tier starts on later pages).
        """
        in_title = "{title} : (" + expr + ")"
        cur.execute(f"SELECT count(*) {base}", [in_title, *params])  # noqa: S608
        n_title = cur.fetchone()[0]
        doc_ids: list[int] = []
        page = f"SELECT search_fts.rowid {base} ORDER BY search_fts.rowid DESC LIMIT %s OFFSET %s"
        if offset < n_title:
            cur.execute(page, [in_title, *params, limit, offset])
            doc_ids += [row[0] for row in cur.fetchall()]
        if len(doc_ids) < limit:
            rest = f"({expr}) NOT {in_title}"
            cur.execute(page, [rest, *params, limit - len(doc_ids), max(0, offset - n_title)])
            doc_ids += [row[0] for row in cur.fetchall()]
        return doc_ids


# PostgreSQL: up to this many matches are fetched, counted exactly and ranked;
# above it the page comes newest first straight from the published_at index
# and the total is the index's estimate ("约 N 万条").  See docs/search.md.
PG_RANK_LIMIT = 5_000


def _pg_like(q: Query) -> tuple[list[str], list[str], list[str]]:
    """Per term: the exact substring condition, its parameters, and its score.

    Score: 10 if the term is in the title, 5 in 文号/索引号, 1 in the body —
    summed over the terms (the weights of FTS5's bm25 on SQLite).
    """
    conds, params, scores = [], [], []
    for term in q.terms:
        conds.append("(d.title_norm LIKE %s OR d.number_norm LIKE %s OR d.body_norm LIKE %s)")
        params += [f"%{_like_escape(term)}%"] * 3
        scores.append(
            "(CASE WHEN d.title_norm LIKE %s THEN 10 ELSE 0 END"
            " + CASE WHEN d.number_norm LIKE %s THEN 5 ELSE 0 END"
            " + CASE WHEN d.body_norm LIKE %s THEN 1 ELSE 0 END)"
        )
    return conds, params, scores


def _like_escape(term: str) -> str:
    # Normalised terms hold letters and digits only; escape anyway (LIKE's default escape).
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PostgresBackend:
    """GIN over positionless lexemes + exact ``LIKE``, with two plans by breadth.

    1. Narrow (≤ PG_RANK_LIMIT matches): the GIN bitmap finds the candidates,
       ``LIKE`` keeps the substrings, at most PG_RANK_LIMIT + 1 of them are
       materialised; if that is all, they are counted exactly and ordered by
       field score (title 10, 文号 5, body 1 per term), then newest first.
    2. Broad (more): ranking and counting every match is what made a broad
       term cost seconds at 1M items.  The page is read newest first from the
       ``published_at`` index, each row checked with ``LIKE`` only (bitmap
       scans are switched off for that one statement, so the planner cannot
       fall back to sorting every match), and the total is the number of GIN
       entries of the tsquery (no heap visit), shown as an estimate.
    """

    def add(self, doc: SearchDocument) -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {DOC} SET tsv = array_to_tsvector(%s::text[]) WHERE id = %s",  # noqa: S608
                [pg_lexemes(doc.title_norm, doc.number_norm, doc.body_norm), doc.pk],
            )

    def remove(self, doc: SearchDocument) -> None:
        """Nothing to do: the tsvector lives in the row that is deleted or rewritten."""

    def clear(self) -> None:
        """Nothing to do: rows are deleted by the caller."""

    def statements(
        self, q: Query, filters: Filters, *, limit: int, offset: int
    ) -> dict[str, tuple[str, list]]:
        """The SQL of both plans (the bench replays exactly these without Django)."""
        where, params = _filter_sql(filters)
        conds, like_params, scores = _pg_like(q)
        source_table = indexed_source().model._meta.db_table
        joins = (
            f"FROM {DOC} d JOIN {source_table} i ON i.id = d.item_id "
            f"JOIN {ORG} o ON o.id = d.organization_id "
        )
        match = " AND ".join(conds)
        tsquery = q.pg_tsquery()
        narrow = (
            "WITH m AS MATERIALIZED ("  # noqa: S608 - placeholders only
            f"SELECT d.id, d.item_id, d.published_at, {' + '.join(scores)} AS score "
            f"{joins}WHERE d.tsv @@ %s::tsquery AND {match} AND {where} LIMIT %s) "
            "SELECT c.n, p.item_id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL ("
            "SELECT item_id, score, published_at, id FROM m "
            "ORDER BY score DESC, published_at DESC, id DESC LIMIT %s OFFSET %s) p ON true "
            "ORDER BY p.score DESC, p.published_at DESC, p.id DESC"
        )
        narrow_args = [*like_params, tsquery, *like_params, *params, PG_RANK_LIMIT + 1,
                       limit, offset]  # fmt: skip
        broad = (
            f"SELECT d.item_id {joins}WHERE {match} AND {where} "  # noqa: S608
            "ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s"
        )
        broad_args = [*like_params, *params, limit, offset]
        dwhere, dparams = _doc_only_sql(filters)
        estimate = f"SELECT count(*) FROM {DOC} d WHERE d.tsv @@ %s::tsquery{dwhere}"  # noqa: S608
        estimate_args = [tsquery, *dparams]
        return {
            "narrow": (narrow, narrow_args),
            "broad": (broad, broad_args),
            "estimate": (estimate, estimate_args),
        }

    def query(
        self, q: Query, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[int], bool]:
        """(total, item ids of the page, whether the total is an estimate)."""
        sql = self.statements(q, filters, limit=limit, offset=offset)
        with connection.cursor() as cur:
            cur.execute(*sql["narrow"])
            rows = cur.fetchall()
            total = rows[0][0]
            if total <= PG_RANK_LIMIT:
                return total, [r[1] for r in rows if r[1] is not None], False
            cur.execute(*sql["estimate"])
            estimate = max(cur.fetchone()[0], total)
            with transaction.atomic():
                # For this statement only: no bitmap scan, so the page is read
                # newest first from the published_at index and stops at the page.
                cur.execute("SET LOCAL enable_bitmapscan = off")
                cur.execute(*sql["broad"])
                ids = [r[0] for r in cur.fetchall()]
                cur.execute("SET LOCAL enable_bitmapscan = on")
            return estimate, ids, True


def _doc_only_sql(filters: Filters) -> tuple[str, list]:
    """Filters on the document table alone, as `` AND ...`` (the estimate)."""
    sql, params = _doc_clauses(filters)
    return "".join(" AND " + c for c in sql), params


def backend() -> SQLiteBackend | PostgresBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}")
