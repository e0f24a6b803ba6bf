"""gongkai.privacy — the review aid scanner for personal data and classification markings.

Pure Python, no Django.  See docs/privacy.md.

    >>> from gongkai.privacy import scan, mask
    >>> [h.kind for h in scan("联系电话13812345678")]
    ['mobile']
    >>> mask("联系电话13812345678")
    '联系电话138****5678'
"""

from gongkai.privacy.scanner import (
    ADDRESS,
    ALL_KINDS,
    BANK_CARD,
    BANK_SUSPECT,
    CLASSIFICATION_MARKER,
    HIGH,
    ID_CARD,
    ID_SUSPECT,
    LABELS,
    LANDLINE,
    LOW,
    MEDIUM,
    MOBILE,
    PERSONAL_KINDS,
    Hit,
    id_shaped,
    luhn_ok,
    mask,
    mask_hit,
    mask_table,
    scan,
    scan_table,
    valid_id_number,
)

__all__ = [
    "ADDRESS",
    "ALL_KINDS",
    "BANK_CARD",
    "BANK_SUSPECT",
    "CLASSIFICATION_MARKER",
    "HIGH",
    "ID_CARD",
    "ID_SUSPECT",
    "LABELS",
    "LANDLINE",
    "LOW",
    "MEDIUM",
    "MOBILE",
    "PERSONAL_KINDS",
    "Hit",
    "id_shaped",
    "luhn_ok",
    "mask",
    "mask_hit",
    "mask_table",
    "scan",
    "scan_table",
    "valid_id_number",
]
