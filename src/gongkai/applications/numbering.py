"""Letter numbers: 〔year〕依申请第N号, counted per body and calendar year.

Its own module so that ``letters`` (which numbers each letter it writes) and
``services`` (which re-exports it) both import it at module level: neither
imports the other for it.
"""

from __future__ import annotations

from django.db.models import Max

from gongkai.organizations.models import Organization

from .models import Letter


def next_letter_number(organization: Organization, year: int) -> int:
    """The next free number of ``organization``'s letters in ``year``.  Call it
    inside the transaction that saves the letter."""
    # Serialise numbering per body: lock the body's row for this transaction.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = Letter.objects.filter(organization=organization, year=year).aggregate(m=Max("number"))
    return (current["m"] or 0) + 1
