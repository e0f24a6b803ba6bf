"""What changes which public pages: model signals bump the page versions
(``pagecache.bump``, applied when the transaction commits).

Connected in ``PortalConfig.ready``: the portal is the top layer and may import
the models of the apps below it, and every change goes through ``save()`` or
``delete()`` (the services write no ``QuerySet.update``/``bulk_create`` on
these models).  Which scopes:

========================================  =========================================
change                                    scopes
========================================  =========================================
body (name, settings, parent, active,     ``site`` (every page: the tree of bodies,
slug, host)                               names and links are on many pages)
item published, withdrawn, or edited      its body, ``all`` (home, search, API);
while published                           the bodies of the policy it interprets
                                          (before and after) and of the
                                          interpretations of it
attachment of a published item            the item's body, ``all``
解读材料 or 图解 of a published item       the item's body, ``all``
catalogue category                        its body, ``all`` (the search filter
                                          lists a body's categories)
guide, unit                               the body
规范性文件 register row (its 失效 state     the body, the linked item's body, ``all``
and replacing document)                   (home, search and the API mark an item
                                          已废止/已失效/已修订)
三项清单 revision, catalogue update date   the body
leader, 政务新媒体 account, 公开制度 file,  the body (机构职能 and the 公开制度 text are
收费项目, 建议提案办理结果 row              the body's fields: ``site``)
annual report, report correction          the body
========================================  =========================================

Drafts and items under review are not on any public page, so saving them
bumps nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from gongkai.consultations.models import Consultation
from gongkai.disclosure.models import (
    Attachment,
    Catalogue,
    Category,
    FeeItem,
    Guide,
    InterpretationContent,
    InterpretationFigure,
    Item,
    ListRevision,
    NormativeDocument,
    ProposalReply,
)
from gongkai.organizations.models import (
    Leader,
    NewMediaAccount,
    Organization,
    RuleDocument,
    Unit,
)
from gongkai.reports.models import AnnualReport, ReportCorrection

from .pagecache import ALL, SITE, body_scope, bump

PUBLIC_STATES = (Item.Status.PUBLISHED, Item.Status.WITHDRAWN)


def _bodies(*org_ids) -> list[str]:
    ids = {i for i in org_ids if i}
    if not ids:
        return []
    slugs = Organization.objects.filter(pk__in=ids).values_list("slug", flat=True)
    return [body_scope(s) for s in slugs]


def on_organization(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bump(SITE)


def on_item_pre_save(sender, instance, raw=False, **kwargs) -> None:
    """Remember the body of the policy a published item interpreted before this save."""
    instance._portal_old_interprets = None
    if raw or not instance.pk or instance.status not in PUBLIC_STATES:
        return
    old = Item.objects.filter(pk=instance.pk).values_list("interprets_id", flat=True).first()
    instance._portal_old_interprets = old


def on_item(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.status not in PUBLIC_STATES:
        return
    related = {instance.interprets_id, getattr(instance, "_portal_old_interprets", None)} - {None}
    org_ids = {instance.organization_id}
    if related:
        org_ids |= set(
            Item.objects.filter(pk__in=related).values_list("organization_id", flat=True)
        )
    if instance.pk:
        org_ids |= set(
            Item.objects.filter(interprets_id=instance.pk).values_list("organization_id", flat=True)
        )
    bump(ALL, *_bodies(*org_ids))


def on_attachment(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    row = Item.objects.filter(pk=instance.item_id).values_list("organization_id", "status").first()
    if row and row[1] in PUBLIC_STATES:
        bump(ALL, *_bodies(row[0]))  # ALL: the API's item answer lists attachments


def on_category(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bump(ALL, *_bodies(instance.organization_id))


def on_body_row(sender, instance, raw=False, **kwargs) -> None:
    """Guide, Unit, AnnualReport: rows with an ``organization``."""
    if not raw:
        bump(*_bodies(instance.organization_id))


def on_normative(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    item_org = None
    if instance.item_id:
        item_org = (
            Item.objects.filter(pk=instance.item_id)
            .values_list("organization_id", flat=True)
            .first()
        )
    # ALL: an item's 已废止/已失效/已修订 mark is on home, search and the API, and
    # the item the row was linked to before this save may be another one (rare
    # writes; no pre_save bookkeeping).
    bump(ALL, *_bodies(instance.organization_id, item_org))


def on_correction(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    org_id = (
        AnnualReport.objects.filter(pk=instance.report_id)
        .values_list("organization_id", flat=True)
        .first()
    )
    bump(*_bodies(org_id))


HANDLERS = [
    (Organization, on_organization),
    (Item, on_item),
    (Attachment, on_attachment),
    # 政策解读 package (sections, 简明问答, videos; 图解): like an attachment.
    (InterpretationContent, on_attachment),
    (InterpretationFigure, on_attachment),
    (Category, on_category),
    (Guide, on_body_row),
    (Unit, on_body_row),
    # 机构概况 (领导信息), 政务新媒体 on the body's home page, 公开制度 documents.
    (Leader, on_body_row),
    (NewMediaAccount, on_body_row),
    (RuleDocument, on_body_row),
    # Dedicated columns: 行政事业性收费, 建议提案办理结果 (a reply links an item of the same body).
    (FeeItem, on_body_row),
    (ProposalReply, on_body_row),
    (AnnualReport, on_body_row),
    (NormativeDocument, on_normative),
    # 三项清单: a published revision (the public page shows the newest and the history).
    (ListRevision, on_body_row),
    # The catalogue's update date, on its public page.
    (Catalogue, on_body_row),
    (ReportCorrection, on_correction),
    # 意见征集: a published 采纳情况 links the final decision's item page back.
    (Consultation, on_body_row),
]


def connect() -> None:
    pre_save.connect(on_item_pre_save, sender=Item, dispatch_uid="portal_pages_item_pre")
    for model, handler in HANDLERS:
        uid = f"portal_pages_{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid + "_delete")
