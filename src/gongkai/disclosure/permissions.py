"""Who may see and do what in proactive disclosure — used by views and services alike.

Role rules (条例第十七条 review before publication; 国办发〔2016〕80号):
- 经办人 (clerk) drafts, edits (draft/returned only), submits, records channels;
- 保密审查 (reviewer) passes or returns an item in review;
- 审批领导 (approver) approves (publishes) or returns an item that passed review,
  and withdraws a published item; an approver can never skip the review,
  because approval is only possible from ``in_approval``;
- nobody passes the review of, or approves, an item they drafted themselves or
  were the last to edit, and the approver is not the reviewer: three different
  people draft, review and approve (separation of duties, issue #9).
"""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Organization, Role
from gongkai.organizations.permissions import has_role, scope_to_user

from .models import ImportJob, Item, NormativeDocument
from .workflow import ITEM

S = Item.Status

EDIT_ROLES = (Role.CLERK,)
REVIEW_ROLES = (Role.REVIEWER,)
APPROVE_ROLES = (Role.APPROVER,)
# Reference data a body maintains (catalogue, guide, register, figures).
MAINTAIN_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)
# Recording history already published elsewhere skips the 条例第十七条 保密审查 in
# gongkai (it happened in the old system), so it needs more than a clerk's role.
HISTORY_ROLES = (Role.OFFICE_HEAD, Role.ADMIN)
# Everyone who works with items (read access in the back office).
READ_ROLES = tuple(Role.values)


def items_visible_to(user) -> QuerySet[Item]:
    return scope_to_user(Item.objects.all(), user)


def normative_documents_visible_to(user) -> QuerySet[NormativeDocument]:
    return scope_to_user(NormativeDocument.objects.all(), user)


def last_editor_id(item: Item) -> int | None:
    """Who last changed the draft (the drafter for rows from before the field)."""
    return item.last_edited_by_id or item.created_by_id


def _own(user, item: Item) -> bool:
    """``user`` drafted the item or was the last to change it."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in {item.created_by_id, last_editor_id(item)}


def can_create(user, org: Organization) -> bool:
    return has_role(user, org, *EDIT_ROLES)


def can_edit(user, item: Item) -> bool:
    return item.is_editable and has_role(user, item.organization, *EDIT_ROLES)


def can_submit(user, item: Item) -> bool:
    return ITEM.can(item.status, "submit") and has_role(user, item.organization, *EDIT_ROLES)


def can_review(user, item: Item) -> bool:
    return (
        ITEM.can(item.status, "review_pass")
        and has_role(user, item.organization, *REVIEW_ROLES)
        and not _own(user, item)
    )


def can_approve(user, item: Item) -> bool:
    return (
        ITEM.can(item.status, "approve")
        and has_role(user, item.organization, *APPROVE_ROLES)
        and not _own(user, item)
        and item.reviewed_by_id != getattr(user, "pk", None)
    )


def can_return(user, item: Item) -> bool:
    return can_review(user, item) or can_approve(user, item)


def can_withdraw(user, item: Item) -> bool:
    return ITEM.can(item.status, "withdraw") and has_role(user, item.organization, *APPROVE_ROLES)


def can_mask(user, item: Item) -> bool:
    """The drafter while editing, the reviewer during the review."""
    return can_edit(user, item) or can_review(user, item)


def can_record_publication(user, item: Item) -> bool:
    return item.status == S.PUBLISHED and has_role(
        user, item.organization, Role.CLERK, Role.OFFICE_HEAD
    )


def can_maintain(user, org: Organization) -> bool:
    """Catalogue, guide, normative register, yearly figures, imports."""
    return has_role(user, org, *MAINTAIN_ROLES)


def can_import_history(user, org: Organization) -> bool:
    """Record items as already published (adoption of the old website's history).

    Only the 公开办负责人 or the body's administrator: it bypasses the review and
    approval steps, so a clerk (who drafts) may not do it on their own; and what
    they record is published only once a 审批领导 other than them confirms it
    (:func:`can_confirm_history`, :func:`can_confirm_import`).
    """
    return has_role(user, org, *HISTORY_ROLES)


def can_see_imports(user, org: Organization) -> bool:
    """The import pages: those who upload, and the approvers who confirm."""
    return has_role(user, org, *MAINTAIN_ROLES, *APPROVE_ROLES)


def can_confirm_import(user, job: ImportJob) -> bool:
    """Confirm (or decline) an import whose rows are published at once (rows with
    a 公开日期): a 审批领导 of the body who did not upload the file.  条例第十七条
    review and approval happen before publication; an import that publishes is
    approved by a second person, like every item (review of issue #9)."""
    pk = getattr(user, "pk", None)
    return (
        job.imported_at is None
        and job.declined_at is None
        and pk is not None
        and pk != job.created_by_id
        and has_role(user, job.organization, *APPROVE_ROLES)
    )


def can_confirm_history(user, org: Organization, *, recorded_by) -> bool:
    """The approver side of :func:`can_import_history`: a 审批领导 other than the
    person who records the history."""
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk != getattr(recorded_by, "pk", None)
        and has_role(user, org, *APPROVE_ROLES)
    )


# --- 三项清单 and standard catalogues --------------------------------------------------

# A list goes public under the 公开办负责人's (or the administrator's) name; a
# clerk prepares its entries (can_maintain).
LIST_PUBLISH_ROLES = (Role.OFFICE_HEAD, Role.ADMIN)


def can_publish_list(user, org: Organization) -> bool:
    return has_role(user, org, *LIST_PUBLISH_ROLES)


def can_manage_standards(user, org: Organization) -> bool:
    """Prepare and publish the standard catalogues ``org`` offers the bodies below it."""
    return has_role(user, org, *LIST_PUBLISH_ROLES)


def can_see_adoptions(user, publisher: Organization) -> bool:
    """Who adopted which version: the publisher's maintainers and its supervisors."""
    return has_role(user, publisher, *MAINTAIN_ROLES, *LIST_PUBLISH_ROLES, Role.SUPERVISOR)


def standard_offered_to(standard, org: Organization) -> bool:
    """Is ``standard`` meant for ``org``: published by a body above it, for its level."""
    if standard.target_level and standard.target_level != org.level:
        return False
    return standard.publisher_id in {a.pk for a in org.ancestors()}


def can_adopt_standard(user, org: Organization, standard) -> bool:
    return can_maintain(user, org) and standard_offered_to(standard, org)
