"""Writes to the body's public profile: 机构概况 (职能, 领导, 内设机构), 政务新媒体
accounts and its own 公开制度 — each atomic, audited and open to the body's
``admin`` only.

条例第二十条第（二）项 asks every body to publish 机关职能、机构设置、办公地址、
办公时间、联系方式、负责人姓名; 条例第二十三条 names 政务新媒体 among the channels;
the 公开制度 page shows the body's own rules instead of one text for all.

Uploaded files go through :mod:`gongkai.uploads`.  A QR image is shown inline
on a public page, so the uploaded bytes are never served: the image is decoded
and written again as a plain PNG (no metadata, no trailing data, bounded size)
and only that PNG is stored.
"""

from __future__ import annotations

import datetime as dt
import secrets

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden
from gongkai.uploads import (
    DOCUMENT_KINDS,
    IMAGE_KINDS,
    ImageTooLarge,
    ImageUnreadable,
    check_upload,
    reencode_image,
    store_checked_upload,
)

from .models import Leader, NewMediaAccount, Organization, Role, RuleDocument, Unit
from .permissions import has_role

# The tags a 公开制度 text may keep: headings, paragraphs, lists, tables, links.
RULES_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "ol", "ul", "li",
    "table", "thead", "tbody", "tr", "th", "td", "a", "blockquote",
}  # fmt: skip
RULES_MAX_CHARS = 100_000
QR_MAX_SIDE = 800  # px: a QR code stays readable and the PNG small
QR_MAX_PIXELS = 6000 * 6000  # refused before decoding (decompression bombs)
PROFILE_FIELDS = ("functions", "rules_html")


def clean_rules_html(html: str) -> str:
    """The 公开制度 text as stored: nh3 with a small allow-list; links get
    ``rel="noopener noreferrer"``."""
    return nh3.clean(html or "", tags=RULES_TAGS, link_rel="noopener noreferrer").strip()


def _require_admin(user, organization: Organization) -> None:
    if not has_role(user, organization, Role.ADMIN):
        raise Forbidden("只有本机关的管理员可以维护机构概况、政务新媒体和公开制度。")


def _own(obj, organization: Organization) -> None:
    if obj.organization_id != organization.pk:
        raise Forbidden("该记录不属于当前机关。")


@transaction.atomic
def organization_update_profile(
    *, organization: Organization, acting_user, functions: str, rules_html: str, now: dt.datetime
) -> Organization:
    """机构职能 and the 公开制度 text."""
    _require_admin(acting_user, organization)
    if len(rules_html or "") > RULES_MAX_CHARS:
        raise ValidationError({"rules_html": f"公开制度正文过长（上限 {RULES_MAX_CHARS} 字符）。"})
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    values = {"functions": (functions or "").strip(), "rules_html": clean_rules_html(rules_html)}
    changed = [name for name, value in values.items() if getattr(organization, name) != value]
    if not changed:
        return organization
    for name in changed:
        setattr(organization, name, values[name])
    organization.save(update_fields=changed)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="organization.profile_update",
        obj=organization,
        data={"changed": changed},
        at=now,
    )
    return organization


# --- 领导信息 ------------------------------------------------------------------------


@transaction.atomic
def leader_save(
    *,
    organization: Organization,
    acting_user,
    leader: Leader | None,
    name: str,
    title: str,
    duties: str,
    order: int,
    now: dt.datetime,
) -> Leader:
    _require_admin(acting_user, organization)
    creating = leader is None
    if creating:
        leader = Leader(organization=organization)
    else:
        _own(leader, organization)
    leader.name, leader.title = name.strip(), title.strip()
    leader.duties, leader.order = duties.strip(), order
    errors = {}
    if not leader.name:
        errors["name"] = "请填写姓名。"
    if not leader.title:
        errors["title"] = "请填写职务。"
    if errors:
        raise ValidationError(errors)
    leader.full_clean()
    leader.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="leader.create" if creating else "leader.update",
        obj=leader,
        data={"name": leader.name, "title": leader.title},
        at=now,
    )
    return leader


@transaction.atomic
def leader_delete(*, leader: Leader, acting_user, now: dt.datetime) -> None:
    organization = leader.organization
    _require_admin(acting_user, organization)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="leader.delete",
        obj=leader,
        data={"name": leader.name, "title": leader.title},
        at=now,
    )
    leader.delete()


# --- 内设机构 ------------------------------------------------------------------------


@transaction.atomic
def unit_update_public(
    *,
    unit: Unit,
    organization: Organization,
    acting_user,
    duties: str,
    phone: str,
    order: int,
    is_public: bool,
    now: dt.datetime,
) -> Unit:
    """The public part of a 科室: its 职责 and phone on the 机构概况 page."""
    _require_admin(acting_user, organization)
    _own(unit, organization)
    values = {"duties": duties.strip(), "phone": phone.strip(), "order": order}
    values["is_public"] = is_public
    changed = [name for name, value in values.items() if getattr(unit, name) != value]
    if not changed:
        return unit
    for name in changed:
        setattr(unit, name, values[name])
    unit.full_clean()
    unit.save(update_fields=changed)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="unit.update",
        obj=unit,
        data={"changed": changed},
        at=now,
    )
    return unit


# --- 政务新媒体 ----------------------------------------------------------------------


def reencode_qr(file) -> bytes:
    """The uploaded QR image (checked JPEG or PNG) decoded and written again as
    a plain PNG of at most QR_MAX_SIDE px a side.  Raises ValidationError."""
    check_upload(file, allowed=IMAGE_KINDS)
    try:
        clean = reencode_image(file, max_pixels=QR_MAX_PIXELS, kind="png", max_side=QR_MAX_SIDE)
    except ImageTooLarge as exc:
        raise ValidationError("二维码图片尺寸过大，请上传边长不超过 6000 像素的图片。") from exc
    except ImageUnreadable as exc:
        raise ValidationError("无法读取二维码图片，请上传清晰的 PNG 或 JPEG 图片。") from exc
    return clean.content


def _store_qr(png: bytes, organization: Organization, now: dt.datetime) -> str:
    name = f"{organization.pk}/newmedia/{now.year}/{secrets.token_hex(16)}.png"
    return default_storage.save(name, ContentFile(png))


def _delete_stored(path: str) -> None:
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


@transaction.atomic
def new_media_save(
    *,
    organization: Organization,
    acting_user,
    account: NewMediaAccount | None,
    name: str,
    platform: str,
    account_id: str,
    order: int,
    qr_file=None,
    remove_qr: bool = False,
    now: dt.datetime,
) -> NewMediaAccount:
    """Create or change an account; ``qr_file`` (optional) replaces its QR code."""
    _require_admin(acting_user, organization)
    creating = account is None
    if creating:
        account = NewMediaAccount(organization=organization)
    else:
        _own(account, organization)
        account = NewMediaAccount.objects.select_for_update().get(pk=account.pk)
    if platform not in NewMediaAccount.Platform.values:
        raise ValidationError({"platform": "请选择平台。"})
    account.name, account.platform = name.strip(), platform
    account.account_id, account.order = account_id.strip(), order
    if not account.name:
        raise ValidationError({"name": "请填写账号名称。"})
    old_path = account.qr_path
    png = reencode_qr(qr_file) if qr_file is not None else None
    account.full_clean(exclude=["qr_path"])
    # Everything is checked before the file is written: storing is the last step
    # that can fail, so a refused request leaves no file behind.
    if png is not None:
        account.qr_path = _store_qr(png, organization, now)
    elif remove_qr:
        account.qr_path = ""
    account.save()
    if account.qr_path != old_path:
        _delete_stored(old_path)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="newmedia.create" if creating else "newmedia.update",
        obj=account,
        data={"name": account.name, "platform": account.platform, "qr": bool(account.qr_path)},
        at=now,
    )
    return account


@transaction.atomic
def new_media_delete(*, account: NewMediaAccount, acting_user, now: dt.datetime) -> None:
    organization = account.organization
    _require_admin(acting_user, organization)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="newmedia.delete",
        obj=account,
        data={"name": account.name, "platform": account.platform},
        at=now,
    )
    _delete_stored(account.qr_path)
    account.delete()


# --- 公开制度 documents --------------------------------------------------------------


@transaction.atomic
def rule_document_add(
    *,
    organization: Organization,
    acting_user,
    title: str,
    document_number: str,
    issued_on: dt.date | None,
    order: int,
    file,
    now: dt.datetime,
) -> RuleDocument:
    _require_admin(acting_user, organization)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写制度名称。"})
    if file is None:
        raise ValidationError({"file": "请选择制度文件。"})
    document = RuleDocument(
        organization=organization,
        title=title,
        document_number=document_number.strip(),
        issued_on=issued_on,
        order=order,
    )
    # Checked before the file is written (see new_media_save).
    document.full_clean(exclude=["path", "original_name", "kind", "size"])
    path, checked = store_checked_upload(
        file, organization=organization, subdir="rules", allowed=DOCUMENT_KINDS
    )
    document.path, document.original_name = path, checked.original_name[:255]
    document.kind, document.size = checked.kind, checked.size
    document.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="ruledoc.create",
        obj=document,
        data={"title": title, "file": checked.original_name},
        at=now,
    )
    return document


@transaction.atomic
def rule_document_delete(*, document: RuleDocument, acting_user, now: dt.datetime) -> None:
    organization = document.organization
    _require_admin(acting_user, organization)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="ruledoc.delete",
        obj=document,
        data={"title": document.title},
        at=now,
    )
    _delete_stored(document.path)
    document.delete()
