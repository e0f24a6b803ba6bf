"""factory_boy factories for disclosure models (other apps' tests may use them)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from gongkai.organizations.factories import OrganizationFactory, UserFactory

from .models import Category, Item, NormativeDocument, Publication, YearlyFigures


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"类目{n}")
    code = factory.Sequence(lambda n: f"T{n:03d}")


class ItemFactory(factory.django.DjangoModelFactory):
    """A draft item; use ``PublishedItemFactory`` for one already on the portal."""

    class Meta:
        model = Item

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"关于第{n}批事项的通知")
    body = "正文内容。"
    formed_on = dt.date(2024, 3, 1)
    kind = Item.Kind.NOTICE
    created_by = factory.SubFactory(UserFactory)


class PublishedItemFactory(ItemFactory):
    status = Item.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    index_number = factory.Sequence(lambda n: f"ORG/000-2024-{n + 1:05d}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    item = factory.SubFactory(PublishedItemFactory)
    channel = Publication.Channel.WEBSITE
    published_on = dt.date(2024, 3, 5)


class NormativeDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NormativeDocument

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"规范性文件{n}")
    document_number = factory.Sequence(lambda n: f"测政规〔2024〕{n + 1}号")
    issued_on = dt.date(2024, 5, 1)


class YearlyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigures

    organization = factory.SubFactory(OrganizationFactory)
    year = 2024
