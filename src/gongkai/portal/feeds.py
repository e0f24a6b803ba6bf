"""Atom feeds of newly published items, per body and per catalogue category."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from gongkai.organizations.sitehosts import body_url

from . import selectors as sel
from .sites import portal_path

FEED_SIZE = 30


def _canonical(slug: str, name: str, *args) -> str:
    shared = portal_path(name, *args)
    return body_url(slug, shared) or shared


class OrganizationFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return sel.public_organization(slug)

    def title(self, org):
        return f"{org.name} 政府信息公开"

    def subtitle(self, org):
        return f"{org.name}最新主动公开的政府信息"

    # Links: the body's own host when it has one (canonical), else the portal
    # path, which the syndication framework makes absolute on the request's host.
    def link(self, org):
        return _canonical(org.slug, "portal:org", org.slug)

    def items(self, org):
        return sel.with_register_state(sel.public_items(org))[:FEED_SIZE]

    def item_title(self, item):
        # The register's 已废止/已失效/已修订 mark, as on the item lists.
        state = getattr(item, "register_state", "")
        return f"{item.title}（{state}）" if state else item.title

    def item_description(self, item):
        # Plain text: the syndication framework escapes it in the XML.
        return item.summary or (item.document_number and f"文号：{item.document_number}") or ""

    def item_link(self, item):
        slug = item.organization.slug
        return _canonical(slug, "portal:item", slug, item.pk)

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.organization.name

    def item_categories(self, item):
        return [item.get_kind_display()] + ([item.category.name] if item.category_id else [])


class CategoryFeed(OrganizationFeed):
    def get_object(self, request, slug, pk):
        org = sel.public_organization(slug)
        return sel.category_of(org, pk)

    def title(self, category):
        return f"{category.organization.name} · {category.name}"

    def subtitle(self, category):
        return f"{category.organization.name}“{category.name}”类目的最新信息"

    def link(self, category):
        slug = category.organization.slug
        return _canonical(slug, "portal:category", slug, category.pk)

    def items(self, category):
        return sel.with_register_state(sel.items_in_category(category))[:FEED_SIZE]
