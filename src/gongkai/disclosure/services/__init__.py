"""Every write of the disclosure app, one module per noun.

``items`` (drafting, the workflow, publication channels), ``history`` (items
published before the body used gongkai), ``masking`` (the personal-data scan),
``imports`` (the writes of a bulk import), ``catalogue``, ``guide``, ``register`` (normative documents, yearly figures),
``lists`` (三项清单 and their revisions), ``standards`` (standard catalogues and their adoption).
Everything public is re-exported here: ``from gongkai.disclosure.services import X``
is the one way in.
"""

from ._common import S, TransitionError
from .catalogue import (
    catalogue_seed,
    catalogue_seed_system,
    catalogue_touch,
    category_delete,
    category_save,
    seed_rows_for_level,
)
from .guide import guide_generate, guide_generate_system, guide_text_for, guide_update
from .history import item_record_history, item_record_history_system
from .imports import import_decline, import_job_create, import_job_write
from .interpretation import (
    can_configure_publishing,
    interpretation_figure_add,
    interpretation_figure_remove,
    interpretation_missing,
    interpretation_save,
    publishing_settings_for,
    publishing_settings_update,
)
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
    signoff_shown,
)
from .lists import (
    current_revision,
    list_entry_delete,
    list_entry_save,
    list_publish,
    list_snapshot,
)
from .masking import item_mask_personal_data, privacy_hits
from .register import normative_document_save, yearly_figures_save
from .standards import (
    adoption_changes_text,
    standard_adopt,
    standard_publish,
    standard_rows_parse,
    standard_rows_text,
    standard_save,
    template_rows,
)

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
    "can_configure_publishing",
    "interpretation_figure_add",
    "interpretation_figure_remove",
    "interpretation_missing",
    "interpretation_save",
    "publishing_settings_for",
    "publishing_settings_update",
    "signoff_shown",
    "sanitise_body",
    "yearly_figures_save",
    "normative_document_save",
    "catalogue_touch",
    "seed_rows_for_level",
    "current_revision",
    "list_entry_delete",
    "list_entry_save",
    "list_publish",
    "list_snapshot",
    "adoption_changes_text",
    "standard_adopt",
    "standard_publish",
    "standard_rows_parse",
    "standard_rows_text",
    "standard_save",
    "template_rows",
]
