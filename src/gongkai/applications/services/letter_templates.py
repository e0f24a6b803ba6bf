"""A body's letter templates, and regenerating a letter a broken template kept back."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden
from gongkai.organizations.models import Organization

from ..letters import LETTER_ERRORS, LetterTemplateError, check_template, letter_generate
from ..models import (
    Application,
    ClockEvent,
    Letter,
    LetterKind,
    LetterTemplate,
)
from ..permissions import can_edit_templates
from ._common import (
    _lock,
    _now,
    _require_handler,
)


@transaction.atomic
def letter_template_save(
    *,
    organization: Organization,
    kind: str,
    title: str,
    body: str,
    acting_user,
    now: datetime | None = None,
) -> LetterTemplate:
    """Save a body's own wording of a letter kind (administrators only)."""
    if not can_edit_templates(acting_user, organization):
        raise Forbidden("只有管理员或公开办负责人可以修改文书模板。")
    if kind not in LetterKind.values:
        raise ValidationError("未知的文书类型。")
    problems = check_template(title=title, body=body)
    if problems:
        raise ValidationError(problems)
    template, created = LetterTemplate.objects.select_for_update().get_or_create(
        organization=organization,
        kind=kind,
        defaults={"title": title, "body": body, "updated_by": acting_user},
    )
    if not created:
        template.title = title
        template.body = body
        template.updated_by = acting_user
        template.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="letter_template.save",
        obj=template,
        data={"kind": kind},
        at=_now(now),
    )
    return template


@transaction.atomic
def letter_template_reset(
    *, organization: Organization, kind: str, acting_user, now: datetime
) -> None:
    if not can_edit_templates(acting_user, organization):
        raise Forbidden("只有管理员或公开办负责人可以修改文书模板。")
    deleted, _ = LetterTemplate.objects.filter(organization=organization, kind=kind).delete()
    if deleted:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="letter_template.reset",
            data={"kind": kind},
            at=now,
        )


@transaction.atomic
def letter_regenerate(
    *, application: Application, event: ClockEvent, kind: str, acting_user, now: datetime
) -> Letter:
    """Generate a letter a broken template kept from being generated, with the
    date of its step (the letter is the one the step should have produced)."""
    _require_handler(acting_user, application)
    application = _lock(application)
    event = ClockEvent.objects.select_for_update().get(pk=event.pk, application=application)
    errors = dict(event.data.get(LETTER_ERRORS, {}))
    if Letter.objects.filter(application=application, event=event, kind=kind).exists():
        raise ValidationError("该文书已生成，无需重新生成。")
    if kind not in errors:
        raise ValidationError("该事项没有未生成的文书。")
    try:
        letter = letter_generate(
            application=application,
            kind=kind,
            event=event,
            acting_user=acting_user,
            issued_on=event.on,
        )
    except LetterTemplateError as exc:
        exc.kind = exc.kind or kind
        raise ValidationError(exc.message) from exc
    del errors[kind]
    event.data = {**event.data, LETTER_ERRORS: errors}
    if not errors:
        event.data.pop(LETTER_ERRORS)
    event.save(update_fields=["data"])
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="letter.regenerate",
        obj=application,
        data={"event_id": event.pk, "kind": kind, "letter_id": letter.pk},
        at=now,
    )
    return letter
