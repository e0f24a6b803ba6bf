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
item is still published 主动公开 and whose body is active are returned, even if
an index row were stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from gongkai.disclosure.models import Item
from gongkai.organizations.models import Organization

from .models import SearchDocument
from .text import Query, index_string, index_tokens, tokens

DOC = SearchDocument._meta.db_table
ITEM = Item._meta.db_table
ORG = Organization._meta.db_table


@dataclass(frozen=True)
class Filters:
    organization_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    year: int | None = None
    kind: str | None = None


def _filter_sql(filters: Filters) -> tuple[str, list]:
    sql = [
        "o.is_active",
        "i.status = %s",
        "i.attribute = %s",
    ]
    params: list = [Item.Status.PUBLISHED, Item.Attribute.PROACTIVE]
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
    ) -> tuple[int, list[int]]:
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
                return total, []
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
        return total, [by_doc[d] for d in doc_ids if d in by_doc]

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


def _lexeme(token: str) -> str:
    # tsquery input: a quoted lexeme is taken literally (tokens are letters/digits only).
    return "'" + token.replace("'", "''") + "'"


class PostgresBackend:
    def add(self, doc: SearchDocument) -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {DOC} SET tsv = "  # noqa: S608 - table name from the model
                "setweight(array_to_tsvector(%s::text[]), 'A') || "
                "setweight(array_to_tsvector(%s::text[]), 'B') || "
                "array_to_tsvector(%s::text[]) WHERE id = %s",
                [
                    sorted(set(index_tokens(doc.title_norm))),
                    sorted(set(index_tokens(doc.number_norm))),
                    sorted(set(index_tokens(doc.body_norm))),
                    doc.pk,
                ],
            )

    def remove(self, doc: SearchDocument) -> None:
        """Nothing to do: the tsvector lives in the row that is deleted or rewritten."""

    def clear(self) -> None:
        """Nothing to do: rows are deleted by the caller."""

    def query(
        self, q: Query, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[int]]:
        where, params = _filter_sql(filters)
        ts_parts, like_sql, like_params = [], [], []
        for term in q.terms:
            if len(term) == 1:
                ts_parts.append(_lexeme(term) + ":*")
            else:
                ts_parts.append(" & ".join(_lexeme(t) for t in sorted(set(tokens(term)))))
            like_sql.append(
                "(d.title_norm LIKE %s OR d.number_norm LIKE %s OR d.body_norm LIKE %s)"
            )
            like_params += [f"%{term}%"] * 3
        tsquery = " & ".join(f"({p})" for p in ts_parts)
        base = (
            f"FROM {DOC} d JOIN {ITEM} i ON i.id = d.item_id "
            f"JOIN {ORG} o ON o.id = d.organization_id "
            f"WHERE d.tsv @@ %s::tsquery AND {' AND '.join(like_sql)} AND {where}"
        )
        args = [tsquery, *like_params, *params]
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) {base}", args)  # noqa: S608 - placeholders only
            total = cur.fetchone()[0]
            if total == 0 or offset >= total:
                return total, []
            cur.execute(
                f"SELECT d.item_id {base} "  # noqa: S608 - placeholders only
                "ORDER BY ts_rank(d.tsv, %s::tsquery) DESC, d.published_at DESC, d.id DESC "
                "LIMIT %s OFFSET %s",
                [*args, tsquery, limit, offset],
            )
            return total, [row[0] for row in cur.fetchall()]


def backend() -> SQLiteBackend | PostgresBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}")
