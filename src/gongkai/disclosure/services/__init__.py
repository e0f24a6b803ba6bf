"""Every write of the disclosure app, one module per noun.

``items`` (drafting, the workflow, publication channels), ``history`` (items
published before the body used gongkai), ``masking`` (the personal-data scan),
``imports`` (the writes of a bulk import), ``catalogue``, ``guide``, ``register`` (normative documents, yearly figures).
Everything public is re-exported here: ``from gongkai.disclosure.services import X``
is the one way in.
"""

from ._common import S, TransitionError
from .catalogue import catalogue_seed, catalogue_seed_system, category_delete, category_save
from .guide import guide_generate, guide_generate_system, guide_text_for, guide_update
from .history import item_record_history, item_record_history_system
from .imports import import_decline, import_job_create, import_job_write
from .items import (
    ATTACHMENT_KINDS,
    EDITABLE_FIELDS,
    TRANSITIONS,
    Transition,
    item_approve,
    item_create,
    item_return,
    item_review_pass,
    item_submit,
    item_update,
    item_withdraw,
    next_index_number,
    publication_record,
    sanitise_body,
)
from .masking import item_mask_personal_data, privacy_hits
from .register import normative_document_save, yearly_figures_save

__all__ = [
    "ATTACHMENT_KINDS",
    "EDITABLE_FIELDS",
    "S",
    "TRANSITIONS",
    "Transition",
    "TransitionError",
    "catalogue_seed",
    "catalogue_seed_system",
    "category_delete",
    "category_save",
    "guide_generate",
    "guide_generate_system",
    "guide_text_for",
    "guide_update",
    "import_decline",
    "import_job_create",
    "import_job_write",
    "item_approve",
    "item_create",
    "item_mask_personal_data",
    "item_record_history",
    "item_record_history_system",
    "item_return",
    "item_review_pass",
    "item_submit",
    "item_update",
    "item_withdraw",
    "next_index_number",
    "privacy_hits",
    "publication_record",
    "sanitise_body",
    "yearly_figures_save",
    "normative_document_save",
]
