"""The search index: one row per published item, normalised text per field.

The full-text structures live beside this table and are not Django fields:
SQLite — the FTS5 table ``search_fts`` (rowid = ``SearchDocument.id``);
PostgreSQL — the ``tsv`` tsvector column with a GIN index.  Both are created by
migration 0001 for their own database only and written by ``indexing.py``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


def publication_year(value: dt.datetime) -> int:
    """``SearchDocument.year`` of a publication time: its year in the platform's
    time zone, whatever zone a request activated (the PostgreSQL lexemes carry
    it, and the search walks :func:`year_bounds`)."""
    return timezone.localdate(value, timezone.get_default_timezone()).year


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January ``year``, 1 January ``year + 1``) in the platform's time zone:
    the publication times whose :func:`publication_year` is ``year``."""
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


class SearchDocument(models.Model):
    item = models.OneToOneField(
        "disclosure.Item", on_delete=models.CASCADE, related_name="search_document"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    category_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    published_at = models.DateTimeField(db_index=True)
    # normalize() of each field: NFKC, lower case, letters and digits only.
    title_norm = models.TextField()
    number_norm = models.TextField(blank=True)
    body_norm = models.TextField(blank=True)

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        indexes = [
            models.Index(fields=["organization", "year"], name="search_doc_org_year"),
            # Catalogue counts per category (portal) without touching the item rows.
            models.Index(fields=["organization", "category_id"], name="search_doc_org_cat"),
            # Portal lists: newest first per body, and per body and kind.
            models.Index(fields=["organization", "-published_at"], name="search_doc_org_pub"),
            models.Index(
                fields=["organization", "kind", "-published_at"], name="search_doc_org_kind_pub"
            ),
        ]

    def __str__(self) -> str:
        return f"search document of item {self.item_id}"
