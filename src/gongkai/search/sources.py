"""What the search index is fed with: plain records from registered sources.

The search app knows no domain model.  An app whose published texts are
searched implements :class:`SearchSource` and registers it in its
``AppConfig.ready()`` (disclosure: ``disclosure/search_source.py``)::

    from gongkai.search.sources import register
    register(ItemSource())

Indexing (``indexing.py``), the query engines (``backends.py``), the result
page (``selectors.py``) and ``search_rebuild`` ask the source of an object
(:func:`source_for`) or of the index (:func:`indexed_source`) for everything
that depends on the model: the plain record to index, what "public" means in
Python and in SQL, the public objects behind a page of hits, the sub-categories
of a category filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .models import SearchDocument


@dataclass(frozen=True)
class SearchRecord:
    """One public object as the index stores it (normalised by ``indexing.py``)."""

    organization_id: int
    category_id: int | None
    kind: str
    published_at: dt.datetime
    title: str
    number: str = ""  # 文号: searched, and shown highlighted with the hit
    reference: str = ""  # 索引号 and the like: searched with the number, not shown
    body: str = ""  # plain text (no markup): searched, and the source of the snippet


class SearchSource(Protocol):
    """One searchable model.  ``obj`` is always an instance of ``model``."""

    label: str  # e.g. "disclosure.item"
    model: type[models.Model]

    def public_sql(self, alias: str) -> tuple[str, list[Any]]:
        """SQL condition and parameters: the row of ``model``'s table ``alias`` is public.

        The PostgreSQL engine joins that table to the index; must agree with
        :meth:`is_public` and :meth:`public`.
        """

    def is_public(self, obj: Any) -> bool:
        """Whether ``obj`` may be in the index at all."""

    def record(self, obj: Any) -> SearchRecord:
        """The plain record of a public ``obj``."""

    def public(self) -> models.QuerySet:
        """Every public object (``search_rebuild``)."""

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        """The public objects of active bodies among ``ids``, by id, ready to display."""

    def expand_category(self, category: Any) -> Iterable[int]:
        """The ids of ``category`` and of every category below it."""


_sources: dict[str, SearchSource] = {}


def _index_key_model() -> type[models.Model]:
    return SearchDocument._meta.get_field("item").related_model


def register(source: SearchSource) -> None:
    """Make ``source`` the source of its model (called from ``AppConfig.ready()``).

    Registering the same model again replaces the source (``ready()`` may run twice).
    The index has one key column today (``SearchDocument.item``), so only its
    model can be registered; a second source needs a schema change (docs/search.md).
    """
    key_model = _index_key_model()
    if source.model is not key_model:
        raise ImproperlyConfigured(
            f"search source {source.label}: the index is keyed by "
            f"{key_model._meta.label}, not {source.model._meta.label} (docs/search.md)"
        )
    _sources[source.model._meta.label_lower] = source


def source_for(obj: Any) -> SearchSource:
    """The registered source of ``obj`` (a model instance or a model class)."""
    label = obj._meta.label_lower
    try:
        return _sources[label]
    except KeyError:
        raise ImproperlyConfigured(
            f"no search source is registered for {label}: register one in its AppConfig.ready()"
        ) from None


def indexed_source() -> SearchSource:
    """The source whose records the index holds (the model ``SearchDocument.item`` points at)."""
    return source_for(_index_key_model())


def sources() -> list[SearchSource]:
    return list(_sources.values())
