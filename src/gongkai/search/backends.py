"""The two full-text engines behind one interface (chosen by the connection's vendor).

- SQLite: FTS5 contentless table ``search_fts`` over pre-tokenised bigrams and
  4-grams; a query is one FTS5 phrase per term (bigrams for 2–3 characters,
  4-grams from 4), so a hit contains the term as a substring; ranked by bm25
  (title ×10, 文号/索引号 ×5, body ×1) up to RANK_LIMIT matches.
- PostgreSQL: ``tsv`` = the distinct bigrams, last characters and 4-grams of
  the three fields with a GIN index; the index narrows to rows holding every
  token of the term, then ``LIKE '%term%'`` on the normalised columns keeps
  exactly the substrings; ranked by a field score up to PG_RANK_LIMIT matches,
  newest first above it (see PostgresBackend).

Two orders: ``relevance`` (the default; recency breaks ties) and ``time``
(newest first).  Only rows of active bodies are counted, and a page's rows are
re-checked (SQL on PostgreSQL, the source's ``load`` in ``search()``) so only
public items are shown, even if an index row were stale.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from gongkai.organizations.models import Organization

from .models import SearchDocument
from .sources import indexed_source
from .text import GRAM, Query, grams, index_string, pg_lexemes, tokens

DOC = SearchDocument._meta.db_table
ORG = Organization._meta.db_table


ORDERS = ("relevance", "time")


@dataclass(frozen=True)
class Filters:
    organization_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    year: int | None = None
    kind: str | None = None
    # Publication time: ``published_from <= published_at < published_before``
    # (aware datetimes; ``search()`` turns a date range into these bounds).
    published_from: datetime | None = None
    published_before: datetime | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())


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
    if filters.published_from is not None:
        sql.append("d.published_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.published_from))
    if filters.published_before is not None:
        sql.append("d.published_at < %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.published_before))
    return sql, params


# Above this many matches bm25 (a few µs per match) is replaced by the tiered,
# unscored order of SQLiteBackend._tiered; see docs/search.md for the figures.
RANK_LIMIT = 2_000


def _inactive_org_ids() -> list[int]:
    return list(Organization.objects.filter(is_active=False).values_list("pk", flat=True))


def _doc_filter_sql(filters: Filters) -> tuple[str, list]:
    """Conditions on the document table only: the filters and no inactive body."""
    sql: list[str] = []
    params: list = []
    inactive = _inactive_org_ids()
    if inactive:
        sql.append(f"d.organization_id NOT IN ({', '.join(['%s'] * len(inactive))})")
        params += inactive
    clauses, clause_params = _doc_clauses(filters)
    return " AND ".join(sql + clauses), params + clause_params


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
        self, q: Query, filters: Filters, *, limit: int, offset: int, order: str = "relevance"
    ) -> tuple[int, list[int], bool]:
        """FTS5 drives; the document table is joined only when a filter or the order needs it.

        Published/active are not re-checked per match here (the index holds only
        published items, kept in the same transaction); inactive bodies are
        excluded by id, and ``search()`` re-checks the page's items.  Relevance:
        up to RANK_LIMIT matches are ordered by bm25 then recency; beyond that
        title matches first, then the rest, each by recency (newest index rows
        first), which FTS5 streams without scoring every match — see
        docs/search.md for the measurements.  Time: every match by
        ``published_at``, newest first (the FTS5 matches as a set, the page
        walked from the document table's ``published_at`` index).
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
            if order == "time":
                cur.execute(
                    f"SELECT d.item_id FROM {DOC} d "  # noqa: S608 - placeholders only
                    "WHERE d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
                    f"{' AND ' + where if where else ''} "
                    "ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s",
                    [*args, limit, offset],
                )
                return total, [row[0] for row in cur.fetchall()], False
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


# PostgreSQL: up to this many matches are fetched, counted exactly and ranked
# (or sorted by time); above it the page comes newest first straight from the
# published_at index and the total is an estimate ("约 N 万条").  See docs/search.md.
PG_RANK_LIMIT = 2_000
# From this many index rows on, the total of a broad unfiltered query is
# estimated from the planner statistics of ``tsv`` (ANALYZE / autovacuum)
# instead of counted: counting 100,000+ matches costs more than the page.
PG_STATS_MIN_ROWS = 20_000
# The statistics are re-read at most this often per process (seconds).
PG_STATS_TTL = 300.0
# The broad walk down the time index reads at most this many times the rows a
# page needs at the estimated density of matches (and at least PG_WALK_MIN);
# a query whose matches are all older than that (2024年 when the newest rows
# are from 2025) is answered from the GIN bitmap, sorted, instead.
PG_WALK_FACTOR = 4
PG_WALK_MIN = 1_000


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


@dataclass
class _TsvStats:
    """``pg_stats`` of ``tsv``: the most common lexemes and the fraction of rows holding each."""

    rows: float
    freq: dict[str, float]
    read_at: float


_stats_cache: dict[str, _TsvStats] = {}


def _tsv_stats(cur) -> _TsvStats:
    key = connection.settings_dict.get("NAME") or ""
    cached = _stats_cache.get(key)
    if cached is not None and time.monotonic() - cached.read_at < PG_STATS_TTL:
        return cached
    cur.execute(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
        "FROM pg_stats s JOIN pg_class c ON c.oid = to_regclass(%s) "
        "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'tsv'",
        [DOC, DOC],
    )
    row = cur.fetchone()
    if row is not None and row[0] and row[2] and row[2] > 0:
        elems, freqs, rows = row
        # The per-element frequencies are followed by their min, max (and null
        # frequency): keep the first len(elems).
        freq = dict(zip(elems, freqs[: len(elems)], strict=True))
        stats = _TsvStats(rows=float(rows), freq=freq, read_at=time.monotonic())
    else:
        stats = _TsvStats(rows=0.0, freq={}, read_at=time.monotonic())
    _stats_cache[key] = stats
    return stats


def _estimate(q: Query, stats: _TsvStats) -> int | None:
    """Rows holding every term, from the lexeme frequencies; None if not known.

    A term is held by at most as many rows as its rarest token, and a query
    by at most as many as its rarest term: the minimum, not the product (the
    tokens of one term always occur together; "2024" and "年" are not
    independent).  Known only when every token is among the most common
    lexemes — a term with a rarer token is left to an exact count.
    """
    if stats.rows < PG_STATS_MIN_ROWS or not stats.freq:
        return None
    least = 1.0
    for term in q.terms:
        if len(term) == 1:
            return None  # a prefix: no single lexeme to look up
        for token in tokens(term) if len(term) < GRAM else grams(term):
            f = stats.freq.get(token)
            if f is None:
                return None
            least = min(least, f)
    return round(least * stats.rows)


class PostgresBackend:
    """GIN over positionless lexemes + exact ``LIKE``, with two plans by breadth.

    1. Narrow (≤ PG_RANK_LIMIT matches): the GIN bitmap finds the candidates,
       ``LIKE`` keeps the substrings, at most PG_RANK_LIMIT + 1 of them are
       materialised; if that is all, they are counted exactly and ordered by
       field score (title 10, 文号 5, body 1 per term), then newest first —
       or newest first for the time order.  Skipped when the statistics
       already say the query is broad.
    2. Broad (more): ranking and counting every match is what made a broad
       term cost seconds at 1M items.  The page is read newest first from the
       ``published_at`` index, each row checked with ``LIKE`` only (bitmap
       scans are switched off for that one statement, so the planner cannot
       fall back to sorting every match).  The total is an estimate: from the
       ``tsv`` statistics when the table is large and no filter applies,
       otherwise ``count(*)`` of the GIN matches without the ``LIKE`` re-check.
       With a statistics estimate the walk has a budget (PG_WALK_FACTOR times
       the rows the page needs at the estimated density); when it is spent
       before the page is full — the matches are older than the rows walked —
       the page is taken from all GIN matches sorted by time instead (and
       the total, all of them read, is exact).
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
        self,
        q: Query,
        filters: Filters,
        *,
        limit: int,
        offset: int,
        order: str = "relevance",
        budget: int = 0,
    ) -> dict[str, tuple[str, list]]:
        """The SQL of both plans (the bench replays exactly these without Django).

        Candidates are read from the document table alone (the index holds
        only public items, written in the publication's transaction; inactive
        bodies are excluded by id); the rows of the *page* are also joined to
        their source row with the source's ``public_sql`` (defence in depth,
        a handful of rows).
        """
        where, params = _doc_filter_sql(filters)
        where = f" AND {where}" if where else ""
        conds, like_params, scores = _pg_like(q)
        source_table = indexed_source().model._meta.db_table
        public, public_params = indexed_source().public_sql("i")
        match = " AND ".join(conds)
        tsquery = q.pg_tsquery()
        if order == "time":
            rank, rank_p = "published_at DESC, id DESC", "p.published_at DESC, p.id DESC"
        else:
            rank = "score DESC, published_at DESC, id DESC"
            rank_p = "p.score DESC, p.published_at DESC, p.id DESC"
        narrow = (
            "WITH m AS MATERIALIZED ("  # noqa: S608 - placeholders only
            f"SELECT d.id, d.item_id, d.published_at, {' + '.join(scores)} AS score "
            f"FROM {DOC} d WHERE d.tsv @@ %s::tsquery AND {match}{where} LIMIT %s) "
            "SELECT c.n, p.item_id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL ("
            f"SELECT m.item_id, m.score, m.published_at, m.id FROM m "
            f"JOIN {source_table} i ON i.id = m.item_id WHERE {public} "
            f"ORDER BY {rank} LIMIT %s OFFSET %s) p ON true ORDER BY {rank_p}"
        )
        narrow_args = [*like_params, tsquery, *like_params, *params, PG_RANK_LIMIT + 1,
                       *public_params, limit, offset]  # fmt: skip
        broad = (
            f"SELECT d.item_id FROM {DOC} d JOIN {source_table} i ON i.id = d.item_id "  # noqa: S608
            f"WHERE {match}{where} AND {public} "
            "ORDER BY d.published_at DESC, d.id DESC LIMIT %s OFFSET %s"
        )
        broad_args = [*like_params, *params, *public_params, limit, offset]
        # The walk with a budget of rows (unfiltered broad queries): the inner
        # LIMIT bounds the rows read, the outer keeps the matches in time order.
        walk = (
            f"SELECT w.item_id FROM (SELECT d.id, d.item_id, ({match}) AS ok "  # noqa: S608
            f"FROM {DOC} d WHERE true{where} ORDER BY d.published_at DESC, d.id DESC "
            "LIMIT %s) w WHERE w.ok LIMIT %s OFFSET %s"
        )
        walk_args = [*like_params, *params, budget, limit, offset]
        # When the walk's budget is spent: every match from the GIN bitmap, sorted
        # (and, being all read, counted exactly).
        sorted_ = (
            f"WITH m AS MATERIALIZED (SELECT d.id, d.item_id, d.published_at FROM {DOC} d "  # noqa: S608
            f"WHERE d.tsv @@ %s::tsquery AND {match}{where}) "
            "SELECT c.n, p.item_id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL ("
            "SELECT item_id, published_at, id FROM m ORDER BY published_at DESC, id DESC "
            "LIMIT %s OFFSET %s) p ON true ORDER BY p.published_at DESC, p.id DESC"
        )
        sorted_args = [tsquery, *like_params, *params, limit, offset]
        count = f"SELECT count(*) FROM {DOC} d WHERE d.tsv @@ %s::tsquery{where}"  # noqa: S608
        count_args = [tsquery, *params]
        return {
            "narrow": (narrow, narrow_args),
            "broad": (broad, broad_args),
            "walk": (walk, walk_args),
            "sorted": (sorted_, sorted_args),
            "count": (count, count_args),
        }

    def query(
        self, q: Query, filters: Filters, *, limit: int, offset: int, order: str = "relevance"
    ) -> tuple[int, list[int], bool]:
        """(total, item ids of the page, whether the total is an estimate)."""
        with connection.cursor() as cur:
            stats = None if filters.any else _tsv_stats(cur)
            estimate = _estimate(q, stats) if stats is not None else None
            budget = 0
            if estimate:
                density = estimate / stats.rows
                budget = max(PG_WALK_MIN, math.ceil(PG_WALK_FACTOR * (offset + limit) / density))
            sql = self.statements(
                q, filters, limit=limit, offset=offset, order=order, budget=budget
            )
            total = None
            if estimate is None or estimate <= 2 * PG_RANK_LIMIT:
                cur.execute(*sql["narrow"])
                rows = cur.fetchall()
                total = rows[0][0]
                if total <= PG_RANK_LIMIT:
                    return total, [r[1] for r in rows if r[1] is not None], False
            if estimate is None:
                cur.execute(*sql["count"])
                estimate = cur.fetchone()[0]
                if stats is not None and stats.rows >= PG_STATS_MIN_ROWS and estimate:
                    # Counted, not estimated (a token rarer than the common
                    # lexemes): the density for the walk's budget is known now.
                    density = estimate / stats.rows
                    budget = max(
                        PG_WALK_MIN, math.ceil(PG_WALK_FACTOR * (offset + limit) / density)
                    )
                    sql = self.statements(
                        q, filters, limit=limit, offset=offset, order=order, budget=budget
                    )
            estimate = max(estimate, total or 0, PG_RANK_LIMIT + 1)
            with transaction.atomic():
                # For this statement only: no bitmap scan, so the page is read
                # newest first from the published_at index and stops at the page.
                cur.execute("SET LOCAL enable_bitmapscan = off")
                cur.execute(*sql["walk" if budget else "broad"])
                ids = [r[0] for r in cur.fetchall()]
                cur.execute("SET LOCAL enable_bitmapscan = on")
            if budget and len(ids) < limit:
                # The budget was spent before the page was full (matches older
                # than the walk reached, or the last page): sort them all, and
                # as they are all read, the total is exact.
                cur.execute(*sql["sorted"])
                rows = cur.fetchall()
                return rows[0][0], [r[1] for r in rows if r[1] is not None], False
            return estimate, ids, True


def backend() -> SQLiteBackend | PostgresBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}")
