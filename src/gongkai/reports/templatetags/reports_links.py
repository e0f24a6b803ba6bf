"""``{% public_report_url slug year %}``: the canonical public page of a report (links.py)."""

from django import template

from .. import links

register = template.Library()


@register.simple_tag
def public_report_url(slug: str, year: int) -> str:
    return links.public_report_url(slug, year)


@register.simple_tag
def public_index_url(slug: str) -> str:
    return links.public_index_url(slug)
