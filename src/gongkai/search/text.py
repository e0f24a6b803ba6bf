"""Text side of search: normalisation, bigram tokens, query parsing, highlighting.

Pure Python (no Django) so the index, the query and the benchmark share one
definition.  Chinese has no spaces between words, so every run of text is cut
into overlapping character bigrams ("宅基地" -> "宅基 基地") and, for SQLite,
also into overlapping 4-grams ("惠农补贴资金" -> "惠农补贴 农补贴资 补贴资金"); a
query is the phrase of its own bigrams (2–3 characters) or 4-grams (4 and
more), so it finds exactly the texts that contain it as a substring — whatever
the word boundaries.  The 4-grams exist for speed: a bigram such as "20" or
"02" occurs in nearly every item (every year, every 索引号), so a phrase of
bigrams for "2024年" decodes million-entry position lists, while "2024" and
"024年" are each held by a fraction of the items.

Normalisation: NFKC (full-width digits and letters become ASCII), lower case,
and every character that is not a letter or digit removed, so 文号 match
whatever brackets are typed: 甘政发〔2024〕3号 = 甘政发[2024]3号 = 甘政发2024 3号.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# Terms of at least GRAM characters are looked up as phrases of GRAM-grams.
GRAM = 4


def _keep(ch: str) -> bool:
    return ch.isalnum()


def normalize(text: str) -> str:
    """NFKC, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if _keep(ch))


def tokens(norm: str) -> list[str]:
    """Character bigrams of an already normalised string (a single character: itself)."""
    if len(norm) < 2:
        return [norm] if norm else []
    return [norm[i : i + 2] for i in range(len(norm) - 1)]


def grams(norm: str, n: int = GRAM) -> list[str]:
    """Overlapping ``n``-grams of a normalised string (none if it is shorter)."""
    return [norm[i : i + n] for i in range(len(norm) - n + 1)]


def index_tokens(norm: str) -> list[str]:
    """What is indexed: the bigrams, then the last character alone, so that a
    one-character query (a prefix query on the tokens) also finds a character
    at the very end of a field."""
    out = tokens(norm)
    if len(norm) >= 2:
        out.append(norm[-1])
    return out


def index_string(norm: str) -> str:
    """The FTS5 input of a normalised string: bigrams, last character, then 4-grams.

    The bigram and 4-gram streams follow each other in one column.  A phrase
    is made of tokens of one length only (bigrams or 4-grams), and within a
    stream consecutive positions are consecutive text offsets, so a phrase can
    never match across the two streams.
    """
    return " ".join(index_tokens(norm) + grams(norm))


# PostgreSQL lexemes carry the document's year of publication: "2024~救助".
# Each year's posting lists are then separate inside the one GIN index, so
# "has 2025 any match of 2024年?" reads only 2025's lists (none: an instant
# answer) instead of intersecting 150,000-entry lists; the broad plan reads
# the newest matches year by year from that (backends.PostgresBackend).  The
# separator never occurs in a normalised token (letters and digits only).
YEAR_SEP = "~"


def pg_lexemes(title_norm: str, number_norm: str, body_norm: str, year: int) -> list[str]:
    """The PostgreSQL ``tsv`` lexemes of a document published in ``year``: the
    distinct bigrams, last characters and 4-grams of its three normalised
    fields, each prefixed with the year (no positions: the GIN index answers
    membership only; exactness comes from ``LIKE`` and the field weights of
    relevance from the normalised columns, see backends.py)."""
    out: set[str] = set()
    for norm in (title_norm, number_norm, body_norm):
        out.update(index_tokens(norm))
        out.update(grams(norm))
    return sorted(f"{year}{YEAR_SEP}{t}" for t in out)


@dataclass(frozen=True)
class Query:
    """A parsed query: whitespace-separated terms, each normalised; all must occur."""

    raw: str
    terms: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def fts5(self) -> str:
        """FTS5 MATCH expression: one phrase per term, ANDed.

        Two or three characters: the phrase of its bigrams; four or more: the
        phrase of its 4-grams (fewer, far rarer tokens: "2024年" is
        "2024 024年", not "20 02 24 4年").  A one-character term becomes a
        prefix query on the tokens ("保*").  Tokens hold letters and digits
        only, so quoting them is safe.
        """
        parts = []
        for term in self.terms:
            if len(term) == 1:
                parts.append(f'"{term}"*')
            elif len(term) < GRAM:
                parts.append('"' + " ".join(tokens(term)) + '"')
            else:
                parts.append('"' + " ".join(grams(term)) + '"')
        return " AND ".join(parts)

    def pg_tokens(self) -> list[tuple[str, ...]]:
        """Per term, the tokens a PostgreSQL document must hold: bigrams for
        2–3 characters, 4-grams from 4 (as FTS5), and a one-character term
        alone (looked up as a prefix)."""
        out = []
        for term in self.terms:
            if len(term) == 1:
                out.append((term,))
            else:
                toks = tokens(term) if len(term) < GRAM else grams(term)
                out.append(tuple(sorted(set(toks))))
        return out

    def pg_tsquery(self, year: int) -> str:
        """PostgreSQL tsquery for the documents of one year of publication:
        every term's tokens ANDed, each qualified with the year (a prefix for
        a one-character term).  A superset of the substring matches
        (positions are not stored, so no phrase operator); ``LIKE`` keeps
        exactly the substrings."""
        parts = []
        for term, toks in zip(self.terms, self.pg_tokens(), strict=True):
            if len(term) == 1:
                parts.append(_lexeme(f"{year}{YEAR_SEP}{term}") + ":*")
            else:
                parts.append(" & ".join(_lexeme(f"{year}{YEAR_SEP}{t}") for t in toks))
        return " & ".join(f"({p})" for p in parts)

    def pg_tsquery_years(self, years) -> str:
        """The tsquery for documents of any of ``years``: one conjunction per
        year, ORed (a document has one year, so this is exact)."""
        return " | ".join(f"({self.pg_tsquery(y)})" for y in years)

    def bigram_sets(self) -> list[list[str]]:
        return [sorted(set(tokens(t))) for t in self.terms]


def _lexeme(token: str) -> str:
    # tsquery input: a quoted lexeme is taken literally (tokens are letters/digits only).
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def parse_query(raw: str) -> Query:
    raw = (raw or "")[:MAX_QUERY_CHARS]
    terms: list[str] = []
    for chunk in raw.split():
        norm = normalize(chunk)
        if norm and norm not in terms:
            terms.append(norm)
    # Drop terms contained in a longer term: they add nothing to an AND.
    terms = [t for t in terms if not any(t != o and t in o for o in terms)]
    return Query(raw=raw, terms=tuple(terms[:MAX_TERMS]))


# --- highlighting ---------------------------------------------------------------------


_ALNUM_RUN = re.compile(r"[^\W_]+")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, for each of its characters, the index in ``text``.

    Runs of letters/digits take the fast path; only a stretch between them
    that is not NFKC-normal (full-width punctuation such as "，" or "（" in
    nearly every Chinese text, or "℃", "①") is normalised character by
    character, so one comma no longer sends a whole body down the slow path.
    """
    out: list[str] = []
    where: list[int] = []

    def slow(start: int, piece: str) -> None:
        sub, subwhere = _normalize_with_map_slow(piece)
        out.append(sub)
        where.extend(start + k for k in subwhere)

    pos = 0
    for m in _ALNUM_RUN.finditer(text):
        gap = text[pos : m.start()]
        if gap and not unicodedata.is_normalized("NFKC", gap):
            slow(pos, gap)
        pos = m.end()
        run = m.group()
        lowered = run.lower()
        if (
            len(lowered) != len(run)
            or not lowered.isalnum()
            or not unicodedata.is_normalized("NFKC", run)
        ):
            slow(m.start(), run)
            continue
        out.append(lowered)
        where.extend(range(m.start(), m.end()))
    gap = text[pos:]
    if gap and not unicodedata.is_normalized("NFKC", gap):
        slow(pos, gap)
    return "".join(out), where


def _normalize_with_map_slow(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if _keep(c):
                out.append(c)
                where.append(i)
    return "".join(out), where


def match_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` (original indices, end exclusive), merged."""
    norm, where = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        for m in re.finditer(re.escape(term), norm):
            spans.append((where[m.start()], where[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` HTML-escaped, with each span wrapped in <mark> (spans from match_spans)."""
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def highlight(text: str, terms: tuple[str, ...]) -> str:
    """The whole of ``text`` escaped, matches marked (titles, 文号)."""
    return mark(text, match_spans(text, terms))


SNIPPET_CHUNK = 4000


def snippet(text: str, terms: tuple[str, ...], width: int = 60) -> str:
    """About ``2*width`` characters around the first match, escaped, matches marked.

    Long texts (attachments) are scanned chunk by chunk until a match is found.
    Without a match (the term is in another field) the start of the text.
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    spans: list[tuple[int, int]] = []
    longest = max((len(t) for t in terms), default=1)
    for offset in range(0, max(len(text), 1), SNIPPET_CHUNK):
        window = text[offset : offset + SNIPPET_CHUNK + 4 * longest]
        found = match_spans(window, terms)
        if found:
            spans = [(s + offset, e + offset) for s, e in found]
            break
    if not spans:
        cut = text[: 2 * width]
        return html.escape(cut) + ("…" if len(text) > len(cut) else "")
    first = spans[0][0]
    start = max(0, first - width // 2)
    end = min(len(text), start + 2 * width)
    inside = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    body = mark(text[start:end], inside)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
