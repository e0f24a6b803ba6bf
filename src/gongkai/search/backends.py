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
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from gongkai.organizations.models import Organization

from .models import SearchDocument, publication_year, year_bounds
from .sources import indexed_source
from .text import YEAR_SEP, Query, index_string, pg_lexemes

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


def _doc_filter_sql(filters: Filters, *, inactive_in_sql: bool = False) -> tuple[str, list]:
    """Conditions on the document table only: the filters and no inactive body.

    The inactive bodies are looked up first and excluded by id (SQLite: an
    unfiltered FTS5 query then needs no join at all), or with
    ``inactive_in_sql`` excluded by a subquery in the statement itself
    (PostgreSQL: one round trip and one ORM query fewer per search)."""
    sql: list[str] = []
    params: list = []
    if inactive_in_sql:
        sql.append(f"d.organization_id NOT IN (SELECT id FROM {ORG} WHERE NOT is_active)")  # noqa: S608
    else:
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
# (or sorted by time); above it the page comes newest first, year by year, and
# the total is an estimate ("约 N 万条").  See docs/search.md.
PG_RANK_LIMIT = 2_000
# From this many index rows on, the total of a broad unfiltered query is
# estimated from the planner statistics of ``tsv`` (ANALYZE / autovacuum)
# instead of counted: counting 100,000+ matches costs more than the page.
PG_STATS_MIN_ROWS = 20_000
# The statistics are re-read at most this often per process (seconds).
PG_STATS_TTL = 300.0
# A walk down one year's rows of the time index reads at most this many times
# the rows a page needs at the year's estimated density of matches (and at
# least PG_WALK_MIN); when that is spent before the page is full, the year's
# matches come from the GIN index, sorted, instead.
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
    """Planner statistics of the index table.

    ``freq``: ``pg_stats`` of ``tsv`` — the most common (year-qualified)
    lexemes and the fraction of rows holding each; ``year_rows``: rows per
    year of publication, from the ``year`` column's most common values.
    """

    rows: float
    freq: dict[str, float]
    read_at: float
    year_rows: dict[int, float] = field(default_factory=dict)


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
        cur.execute(
            "SELECT most_common_vals::text::int[], most_common_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'year'",
            [DOC],
        )
        years = cur.fetchone()
        if years is not None and years[0]:
            stats.year_rows = {y: f * stats.rows for y, f in zip(*years, strict=True)}
    else:
        stats = _TsvStats(rows=0.0, freq={}, read_at=time.monotonic())
    _stats_cache[key] = stats
    return stats


def _estimate_year(q: Query, stats: _TsvStats, year: int) -> int | None:
    """Rows of ``year`` holding every term, from the lexeme frequencies; None if not known.

    A term is held by at most as many rows as its rarest token (the minimum,
    not the product: the tokens of one term always occur together; "2024"
    and "024年" are not independent).  Separate terms are taken as
    independent within the year (低保 2024: 低保's share of 2024's rows times
    2024's share of them), when the year's row count is known; otherwise the
    rarest term bounds the query.  Known only when every token is among the
    most common lexemes of that year — a rarer one is left to the index itself.
    """
    if stats.rows < PG_STATS_MIN_ROWS or not stats.freq:
        return None
    terms = []
    for term, toks in zip(q.terms, q.pg_tokens(), strict=True):
        if len(term) == 1:
            return None  # a prefix: no single lexeme to look up
        least = 1.0
        for token in toks:
            f = stats.freq.get(f"{year}{YEAR_SEP}{token}")
            if f is None:
                return None
            least = min(least, f)
        terms.append(least)
    year_rows = stats.year_rows.get(year)
    if not year_rows:
        return round(min(terms) * stats.rows)
    estimate = year_rows
    for f in terms:
        estimate *= min(1.0, f * stats.rows / year_rows)
    return round(estimate)


def _estimate(q: Query, stats: _TsvStats, years: list[int]) -> tuple[int | None, list[int]]:
    """The query's matches over the years the statistics know (None if they
    know none), and the years they do not know — rare there, counted from
    the index by the caller, so that the total never leaves a year out."""
    known, unknown = [], []
    for year in years:
        estimate = _estimate_year(q, stats, year)
        if estimate is None:
            unknown.append(year)
        else:
            known.append(estimate)
    return (sum(known) if known else None), unknown


def _years(cur, filters: Filters) -> list[int]:
    """Years of publication that can hold a match, newest first.

    From the first and last ``published_at`` (two probes of its index),
    narrowed by the year and date filters."""
    cur.execute(f"SELECT min(published_at), max(published_at) FROM {DOC}")  # noqa: S608
    first, last = cur.fetchone()
    if first is None:
        return []
    low, high = publication_year(first), publication_year(last)
    if filters.year is not None:
        low, high = max(low, filters.year), min(high, filters.year)
    if filters.published_from is not None:
        low = max(low, publication_year(filters.published_from))
    if filters.published_before is not None:
        high = min(high, publication_year(filters.published_before))
    return list(range(high, low - 1, -1))


class PostgresBackend:
    """GIN over positionless, year-qualified lexemes + exact ``LIKE``, two plans by breadth.

    1. Narrow (≤ PG_RANK_LIMIT matches): the GIN bitmap finds the candidates
       (any year), ``LIKE`` keeps the substrings, at most PG_RANK_LIMIT + 1 of
       them are materialised; if that is all, they are counted exactly and
       ordered by field score (title 10, 文号 5, body 1 per term), then newest
       first — or newest first for the time order.  Skipped when the
       statistics already say the query is broad.
    2. Broad (more): ranking and counting every match is what made a broad
       term cost seconds at 1M items.  The page is read newest first, **year
       by year** (every lexeme carries its document's year, so one year's
       matches are a GIN lookup of their own):

       - a year where the statistics know the query to be common is walked
         newest first down the ``published_at`` index within the year, each
         row checked with ``LIKE`` (the statement never names ``tsv``), for
         at most PG_WALK_FACTOR times the rows the page needs at the year's
         density;
       - any other year is read from the GIN index (its own lexemes: an
         empty year costs a lookup), at most PG_RANK_LIMIT + 1 matches,
         sorted by time; more than that and the year is walked instead;
       - a walk whose budget is spent before the page is full is replaced by
         all of that year's GIN matches, sorted.

       A broad term whose matches are all old (2024年 while the newest rows
       are from 2025) no longer walks the newer rows: the newer years answer
       "none" from the index.  The total is an estimate: from the ``tsv``
       statistics when the table is large and no filter applies, otherwise
       ``count(*)`` of the GIN matches without the ``LIKE`` re-check.
    """

    def add(self, doc: SearchDocument) -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {DOC} SET tsv = array_to_tsvector(%s::text[]) WHERE id = %s",  # noqa: S608
                [pg_lexemes(doc.title_norm, doc.number_norm, doc.body_norm, doc.year), doc.pk],
            )

    def remove(self, doc: SearchDocument) -> None:
        """Nothing to do: the tsvector lives in the row that is deleted or rewritten."""

    def clear(self) -> None:
        """Nothing to do: rows are deleted by the caller."""

    @staticmethod
    def _narrow_sql(q: Query, tsquery: str, where: str, params: list, *, limit: int,
                    offset: int, order: str) -> tuple[str, list]:  # fmt: skip
        """At most PG_RANK_LIMIT + 1 matches of ``tsquery`` materialised, their
        count, and the page of them (by score or by time).

        The page's rows are also joined to their source row with the source's
        ``public_sql`` (defence in depth, a handful of rows)."""
        conds, like_params, scores = _pg_like(q)
        source_table = indexed_source().model._meta.db_table
        public, public_params = indexed_source().public_sql("i")
        if order == "time":
            rank, rank_p = "published_at DESC, id DESC", "p.published_at DESC, p.id DESC"
        else:
            rank = "score DESC, published_at DESC, id DESC"
            rank_p = "p.score DESC, p.published_at DESC, p.id DESC"
        sql = (
            "WITH m AS MATERIALIZED ("  # noqa: S608 - placeholders only
            f"SELECT d.id, d.item_id, d.published_at, {' + '.join(scores)} AS score "
            f"FROM {DOC} d WHERE d.tsv @@ %s::tsquery AND {' AND '.join(conds)}{where} "
            "LIMIT %s) "
            "SELECT c.n, p.item_id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL ("
            f"SELECT m.item_id, m.score, m.published_at, m.id FROM m "
            f"JOIN {source_table} i ON i.id = m.item_id WHERE {public} "
            f"ORDER BY {rank} LIMIT %s OFFSET %s) p ON true ORDER BY {rank_p}"
        )
        args = [*like_params, tsquery, *like_params, *params, PG_RANK_LIMIT + 1,
                *public_params, limit, offset]  # fmt: skip
        return sql, args

    @staticmethod
    def _walk_sql(q: Query, year: int, where: str, params: list, *, budget: int,
                  want: int) -> tuple[str, list]:  # fmt: skip
        """One year's rows newest first from the ``published_at`` index: the
        inner LIMIT bounds the rows read, the outer keeps the matches and the
        row at the budget, if reached (so a year read to its end is told
        from a budget spent)."""
        conds, like_params, _ = _pg_like(q)
        start, end = year_bounds(year)
        sql = (
            f"SELECT w.item_id, w.ok, w.rn = %s FROM (SELECT d.id, d.item_id, "  # noqa: S608
            f"d.published_at, ({' AND '.join(conds)}) AS ok, "
            "row_number() OVER (ORDER BY d.published_at DESC, d.id DESC) AS rn "
            f"FROM {DOC} d WHERE d.published_at >= %s AND d.published_at < %s "
            f"AND d.year = %s{where} ORDER BY d.published_at DESC, d.id DESC "
            "LIMIT %s) w WHERE w.ok OR w.rn = %s "
            # The subquery's own order, stated (the planner keeps it: no sort).
            "ORDER BY w.published_at DESC, w.id DESC LIMIT %s"
        )
        ops = connection.ops
        args = [budget, *like_params, ops.adapt_datetimefield_value(start),
                ops.adapt_datetimefield_value(end), year, *params, budget, budget,
                want + 1]  # fmt: skip
        return sql, args

    @staticmethod
    def _count_sql(tsquery: str, where: str, params: list) -> tuple[str, list]:
        """GIN matches without the ``LIKE`` re-check: exact for a two- or
        four-character term, an upper bound otherwise."""
        sql = f"SELECT count(*) FROM {DOC} d WHERE d.tsv @@ %s::tsquery{where}"  # noqa: S608
        return sql, [tsquery, *params]

    @staticmethod
    def _sorted_sql(q: Query, year: int, where: str, params: list, *,
                    want: int) -> tuple[str, list]:  # fmt: skip
        """Every GIN match of one year, newest first (the page of them)."""
        conds, like_params, _ = _pg_like(q)
        sql = (
            f"SELECT d.item_id FROM {DOC} d WHERE d.tsv @@ %s::tsquery "  # noqa: S608
            f"AND {' AND '.join(conds)}{where} "
            "ORDER BY d.published_at DESC, d.id DESC LIMIT %s"
        )
        return sql, [q.pg_tsquery(year), *like_params, *params, want]

    def query(
        self, q: Query, filters: Filters, *, limit: int, offset: int, order: str = "relevance"
    ) -> tuple[int, list[int], bool]:
        """(total, item ids of the page, whether the total is an estimate)."""
        where, params = _doc_filter_sql(filters, inactive_in_sql=True)
        where = f" AND {where}" if where else ""
        with connection.cursor() as cur:
            years = _years(cur, filters)
            if not years:
                return 0, [], False
            stats = None if filters.any else _tsv_stats(cur)
            estimate, unknown = _estimate(q, stats, years) if stats is not None else (None, [])
            if estimate is not None and unknown:
                # The years the statistics do not know hold few matches (each
                # token below ~0.2 % of the rows there): count them.
                cur.execute(*self._count_sql(q.pg_tsquery_years(unknown), where, params))
                estimate += cur.fetchone()[0]
            tsquery = q.pg_tsquery_years(years)
            total = None
            if estimate is None or estimate <= 2 * PG_RANK_LIMIT:
                cur.execute(*self._narrow_sql(q, tsquery, where, params, limit=limit,
                                              offset=offset, order=order))  # fmt: skip
                rows = cur.fetchall()
                total = rows[0][0]
                if total <= PG_RANK_LIMIT:
                    return total, [r[1] for r in rows if r[1] is not None], False
            if estimate is None:
                cur.execute(*self._count_sql(tsquery, where, params))
                estimate = cur.fetchone()[0]
            ids = self._newest(cur, q, years, where, params, stats, need=offset + limit)
            estimate = max(estimate, total or 0, PG_RANK_LIMIT + 1)
            return estimate, ids[offset : offset + limit], True

    def _newest(self, cur, q: Query, years: list[int], where: str, params: list,
                stats: _TsvStats | None, *, need: int) -> list[int]:  # fmt: skip
        """The ``need`` newest matches, year by year (see the class docstring)."""
        found: dict[int, None] = {}
        for year in years:
            want = need - len(found)
            if want <= 0:
                break
            known = _estimate_year(q, stats, year) if stats is not None else None
            ids = None
            if known is None or known <= PG_RANK_LIMIT:
                # Few (or none) in this year as far as the statistics know: its
                # own GIN lookup, at most PG_RANK_LIMIT + 1 matches.
                cur.execute(*self._narrow_sql(q, q.pg_tsquery(year), where, params,
                                              limit=want, offset=0, order="time"))  # fmt: skip
                rows = cur.fetchall()
                if rows[0][0] <= PG_RANK_LIMIT:
                    ids = [r[1] for r in rows if r[1] is not None]
                else:
                    known = rows[0][0]
            if ids is None:
                ids = self._walk_year(cur, q, year, where, params, stats, known, want)
            if ids is None:
                cur.execute(*self._sorted_sql(q, year, where, params, want=want))
                ids = [r[0] for r in cur.fetchall()]
            found.update(dict.fromkeys(ids))
        return list(found)

    def _walk_year(self, cur, q: Query, year: int, where: str, params: list,
                   stats: _TsvStats | None, matches: int, want: int) -> list[int] | None:  # fmt: skip
        """The year's ``want`` newest matches by walking its rows, or None when
        the walk's budget was spent first."""
        in_year = stats.year_rows.get(year) if stats is not None else None
        if not in_year:
            in_year = stats.rows / max(1, len(stats.year_rows)) if stats and stats.rows else 0
        density = matches / in_year if in_year else 0
        budget = PG_WALK_MIN
        if density > 0:
            budget = max(PG_WALK_MIN, math.ceil(PG_WALK_FACTOR * want / min(1.0, density)))
        # The statement does not mention ``tsv``: the planner reads the year's
        # rows newest first from the published_at index and stops at the LIMIT.
        cur.execute(*self._walk_sql(q, year, where, params, budget=budget, want=want))
        rows = cur.fetchall()
        ids = [item_id for item_id, ok, _ in rows if ok][:want]
        spent = any(at_budget for _, _, at_budget in rows)
        # Short of the page: fine if the walk read the year to its end (these
        # are all its matches), not if the budget ran out first.
        return ids if len(ids) >= want or not spent else None


def backend() -> SQLiteBackend | PostgresBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"全文检索不支持数据库 {connection.vendor}")
