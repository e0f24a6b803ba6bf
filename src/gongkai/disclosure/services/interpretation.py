"""The 政策解读 package (国办发〔2016〕80号 "三同步") and the body's publishing settings.

A 政策解读 item carries, besides its free text, the sections 背景/目的/主要举措
(required before it goes to review), an optional 简明问答, 图解 images (checked
as images, size-bounded, re-encoded without their metadata, with an alternative
text) and video links (http(s) only).  The package is edited only while the item is a draft or returned, like
the item itself; a change to it counts as an edit of the item (the reviewer and
the approver must be other people).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden, Invalid
from gongkai.organizations.models import Organization, Role
from gongkai.organizations.permissions import has_role
from gongkai.uploads import (
    IMAGE_KINDS,
    CleanImage,
    ImageTooLarge,
    ImageUnreadable,
    UploadRejected,
    check_upload,
    reencode_image,
    store_checked_upload,
)

from .. import permissions as perms
from ..models import (
    INTERPRETATION_SECTIONS,
    InterpretationContent,
    InterpretationFigure,
    Item,
    PublishingSettings,
)
from ._common import TransitionError, _lock

# 图解 are shown inline on the public page: smaller than the general upload limit.
FIGURE_MAX_BYTES_DEFAULT = 5 * 1024 * 1024
FIGURE_MAX_PIXELS = 40_000_000  # ~ 8000 x 5000: a poster, not a decompression bomb
FIGURE_MAX_COUNT = 20
SETTINGS_ROLES = (Role.OFFICE_HEAD, Role.ADMIN)


def figure_max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_FIGURE_MAX_BYTES", FIGURE_MAX_BYTES_DEFAULT))


def _editable_interpretation(item: Item, acting_user) -> Item:
    item = _lock(item)
    if item.kind != Item.Kind.INTERPRETATION:
        raise Invalid("只有“政策解读”类信息才有解读材料。", code="not_interpretation")
    if not item.is_editable:
        raise TransitionError(
            f"当前状态为“{item.get_status_display()}”，不能修改解读材料。", code="not_editable"
        )
    if not perms.can_edit(acting_user, item):
        raise Forbidden("只有本机关的经办人可以修改解读材料。")
    return item


def _touch(item: Item, acting_user) -> None:
    """A change to the package is a change to the draft (separation of duties)."""
    item.last_edited_by = acting_user
    item.save(update_fields=["last_edited_by", "updated_at"])


def interpretation_missing(item: Item) -> list[str]:
    """What a 政策解读 still lacks before review: the labels of its empty sections."""
    content = InterpretationContent.objects.filter(item=item).first()
    if content is None:
        return [label for _, label in INTERPRETATION_SECTIONS]
    return content.missing_sections()


def interpretation_readiness_error(item: Item) -> str | None:
    """The sentence refusing review/approval of an incomplete 政策解读, or None."""
    if item.kind != Item.Kind.INTERPRETATION:
        return None
    missing = interpretation_missing(item)
    if not missing:
        return None
    return (
        f"政策解读《{item.title}》尚缺“{'”“'.join(missing)}”：请在“解读材料”中填写"
        "背景、目的和主要举措后再送审。"
    )


@transaction.atomic
def interpretation_save(
    *,
    item: Item,
    acting_user,
    background: str,
    purpose: str,
    measures: str,
    qa: list[dict[str, Any]] | None = None,
    videos: list[dict[str, Any]] | None = None,
) -> InterpretationContent:
    """Create or replace the package's sections, 简明问答 and video links."""
    item = _editable_interpretation(item, acting_user)
    content = InterpretationContent.objects.filter(item=item).first() or InterpretationContent(
        item=item
    )
    before = {
        "background": content.background,
        "purpose": content.purpose,
        "measures": content.measures,
        "qa": content.qa,
        "videos": content.videos,
    }
    content.background = (background or "").strip()
    content.purpose = (purpose or "").strip()
    content.measures = (measures or "").strip()
    content.qa = qa or []
    content.videos = videos or []
    content.updated_by = acting_user
    content.full_clean(exclude=["item"])  # collects every finding; clean_* normalise qa/videos
    changed = sorted(name for name, value in before.items() if getattr(content, name) != value)
    content.save()
    if changed:
        _touch(item, acting_user)
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="interpretation.save",
        obj=item,
        data={"changed": changed, "qa_pairs": len(content.qa), "videos": len(content.videos)},
    )
    return content


def _clean_figure(file) -> CleanImage:
    """The image decoded (a file that only starts like a JPEG/PNG is refused;
    the dimensions are bounded before decoding) and written again without its
    metadata: a 图解 is shown on a public page, and a phone photo or a design
    tool's export carries GPS position and names in EXIF/XMP."""
    try:
        return reencode_image(file, max_pixels=FIGURE_MAX_PIXELS)
    except ImageTooLarge as exc:
        raise Invalid(
            {"file": f"图片尺寸过大（{exc.width}×{exc.height} 像素），请缩小后再上传。"},
            code="figure_too_many_pixels",
        ) from None
    except ImageUnreadable:
        raise Invalid(
            {"file": "文件不是有效的 JPG 或 PNG 图片，请重新导出后上传。"}, code="figure_not_image"
        ) from None


@transaction.atomic
def interpretation_figure_add(
    *, item: Item, acting_user, file, alt_text: str
) -> InterpretationFigure:
    """Store one 图解 image (JPG/PNG, checked by ``gongkai.uploads``, decoded and
    re-encoded: only the re-encoded bytes are stored)."""
    item = _editable_interpretation(item, acting_user)
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise Invalid(
            {"alt_text": "请填写图片说明（替代文字），概括图中的要点，供读屏软件朗读。"},
            code="figure_alt_required",
        )
    if len(alt_text) > 300:
        raise Invalid({"alt_text": "图片说明不超过300字。"}, code="figure_alt_too_long")
    if item.figures.count() >= FIGURE_MAX_COUNT:
        raise Invalid({"file": f"每篇解读最多{FIGURE_MAX_COUNT}张图解。"}, code="figure_too_many")
    limit = figure_max_bytes()
    size = int(getattr(file, "size", 0) or 0)
    if size > limit:
        raise Invalid(
            {
                "file": f"图片过大（{size // 1024} KB），图解上限为 {limit // 1024} KB，请压缩后再上传。"
            },
            code="figure_too_large",
        )
    try:
        checked = check_upload(file, allowed=IMAGE_KINDS)
        clean = _clean_figure(file)
        path, stored = store_checked_upload(
            ContentFile(clean.content, name=f"figure.{clean.kind}"),
            organization=item.organization,
            subdir="disclosure/figures",
            allowed=IMAGE_KINDS,
        )
    except UploadRejected as exc:
        raise Invalid({"file": exc.messages}, code="figure_rejected") from None
    # A refusal below removes the stored file again.
    try:
        order = (item.figures.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        figure = InterpretationFigure.objects.create(
            item=item,
            path=path,
            original_name=checked.original_name[:255],
            kind=stored.kind,
            size=stored.size,
            width=clean.width,
            height=clean.height,
            alt_text=alt_text,
            order=order,
            uploaded_by=acting_user,
        )
    except Exception:
        default_storage.delete(path)
        raise
    _touch(item, acting_user)
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="interpretation.figure_add",
        obj=item,
        data={"file": figure.original_name, "alt_text": alt_text},
    )
    return figure


@transaction.atomic
def interpretation_figure_remove(*, figure: InterpretationFigure, acting_user) -> None:
    item = _editable_interpretation(figure.item, acting_user)
    figure = InterpretationFigure.objects.select_for_update().get(pk=figure.pk, item=item)
    path, name = figure.path, figure.original_name
    figure.delete()
    transaction.on_commit(lambda: default_storage.delete(path))
    _touch(item, acting_user)
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="interpretation.figure_remove",
        obj=item,
        data={"file": name},
    )


# --- the body's publishing settings -----------------------------------------------------


def publishing_settings_for(organization: Organization) -> PublishingSettings:
    """The body's settings (unsaved defaults when it never chose)."""
    found = PublishingSettings.objects.filter(organization=organization).first()
    return found or PublishingSettings(organization=organization)


def can_configure_publishing(user, organization: Organization) -> bool:
    return has_role(user, organization, *SETTINGS_ROLES)


@transaction.atomic
def publishing_settings_update(
    *,
    organization: Organization,
    acting_user,
    publish_with_interpretation: bool,
    signoff_display: str,
) -> PublishingSettings:
    if not can_configure_publishing(acting_user, organization):
        raise Forbidden("只有公开办负责人或机关管理员可以修改发布设置。")
    if signoff_display not in PublishingSettings.SignoffDisplay.values:
        raise Invalid({"signoff_display": "请选择拟稿、审核、签发的显示方式。"})
    current = PublishingSettings.objects.select_for_update().filter(
        organization=organization
    ).first() or PublishingSettings(organization=organization)
    before = {
        "publish_with_interpretation": current.publish_with_interpretation,
        "signoff_display": current.signoff_display,
    }
    current.publish_with_interpretation = bool(publish_with_interpretation)
    current.signoff_display = signoff_display
    current.updated_by = acting_user
    current.save()
    after = {
        "publish_with_interpretation": current.publish_with_interpretation,
        "signoff_display": current.signoff_display,
    }
    if before != after:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="publishing_settings.update",
            obj=current,
            data={"before": before, "after": after},
        )
    return current
