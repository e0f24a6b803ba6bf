"""Background jobs of the full-text index (docs/jobs.md)."""

from __future__ import annotations

import logging

from gongkai.jobs import job
from gongkai.search.indexing import rebuild as index_rebuild

logger = logging.getLogger("gongkai.jobs")


@job("search.rebuild", label="重建全文检索索引", queue="index")
def rebuild() -> None:
    """Rebuild the whole index from its sources.  Idempotent: the index is
    emptied and filled again, so a second run gives the same index."""
    count = index_rebuild()
    logger.info("已重建检索索引：%d 条。", count)
