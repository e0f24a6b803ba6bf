from .backoffice import (
    application_action,
    application_create,
    application_detail,
    application_list,
    cell_list,
    extension_decide,
    extension_list,
    letter_download,
    letter_regenerate,
    similar_list,
    template_edit,
    template_list,
)

__all__ = [
    "application_action",
    "application_create",
    "application_detail",
    "application_list",
    "cell_list",
    "extension_decide",
    "extension_list",
    "letter_download",
    "letter_regenerate",
    "similar_list",
    "template_edit",
    "template_list",
]
