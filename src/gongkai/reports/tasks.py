"""Background jobs of the annual reports (docs/jobs.md): the published report's downloads."""

from __future__ import annotations

import logging

from gongkai.jobs import job

from .services import GENERATE_DOCUMENTS, report_documents_generate

logger = logging.getLogger("gongkai.jobs")


@job(GENERATE_DOCUMENTS, label="生成年度报告下载文件")
def generate_documents(*, report_id: int) -> None:
    """Write the published report's downloads (HTML, DOCX, XLSX, JSON) into storage;
    deferred by its publication and by the closing of a correction.  Idempotent
    (``services.report_documents_generate``): a rerun writes nothing new."""
    written = report_documents_generate(report_id=report_id)
    if written:
        logger.info("年度报告 %s：已生成下载文件 %s", report_id, "、".join(written))
