"""Demo step for the portal: rebuild the search index after the other apps loaded.

Needed because history adopted through ``disclosure.services.item_record_history``
(the demo's past year) is published without passing through the search index;
the orchestrator calls this module last, inside the same transaction.
"""

from __future__ import annotations

from gongkai.search.indexing import rebuild


def load(ctx) -> None:
    n = rebuild()
    ctx.log(f"门户：检索索引已重建（{n} 条已公开信息）")
