"""The two flatteners give, option for option, what each view's own helper gave
before issue #10 (their bodies are copied here as the expected output):

- reports/views/backoffice.py ``_messages_of``: ``"".join(exc.messages)``, one message;
- disclosure/views/items.py ``error_text``: ``"；".join(exc.messages)``, one message
  or one form error;
- organizations ``_errors_to_messages`` and the appeals/applications views: one
  message (or one form error) per ``exc.messages`` entry;
- portal/apply.py: field-keyed errors under their field when the form has it.
"""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from gongkai.core.errors import Invalid
from gongkai.core.responses import add_errors, error_messages, message_errors

EXAMPLES = [
    ValidationError("退回时请填写退回意见。"),
    ValidationError(["检查发现2个错误，请先修改后再提交：", "表三第一行为空。", "表四合计不符。"]),
    ValidationError({"comment": "请填写理由。", "reason": ["理由太短。", "理由不能只有空格。"]}),
    Invalid({NON_FIELD_ERRORS: ["已存在。"], "title": ["标题不能为空。"]}),
]


class CommentForm(forms.Form):
    comment = forms.CharField(required=False)
    title = forms.CharField(required=False)


def _form() -> CommentForm:
    form = CommentForm({"comment": "", "title": ""})
    assert form.is_valid()
    return form


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _flashed(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


@pytest.mark.parametrize("exc", EXAMPLES)
def test_joined_messages_are_byte_identical_to_the_old_helpers(exc):
    for separator in ("", "；"):
        request = _request()
        message_errors(request, exc, joined=separator)
        assert _flashed(request) == [("error", separator.join(exc.messages))]
        form = _form()
        add_errors(form, exc, joined=separator)
        assert form.non_field_errors() == [separator.join(exc.messages)]
        assert not form.errors.get("comment")


@pytest.mark.parametrize("exc", EXAMPLES)
def test_by_default_each_message_stands_on_its_own(exc):
    request = _request()
    message_errors(request, exc)
    assert _flashed(request) == [("error", m) for m in exc.messages]
    form = _form()
    add_errors(form, exc)
    assert form.non_field_errors() == exc.messages
    assert error_messages(exc) == exc.messages


def test_fields_puts_keyed_messages_under_the_fields_the_form_has():
    form = _form()
    add_errors(form, EXAMPLES[2], fields=True)
    assert form.errors["comment"] == ["请填写理由。"]
    # ``reason`` is not a field of this form: its messages go to the top.
    assert form.non_field_errors() == ["理由太短。", "理由不能只有空格。"]

    form = _form()
    add_errors(form, EXAMPLES[3], fields=True, joined="；")
    assert form.errors["title"] == ["标题不能为空。"]
    assert form.non_field_errors() == ["已存在。"]

    form = _form()
    add_errors(form, EXAMPLES[1], fields=True)  # no field keys: as without ``fields``
    assert form.non_field_errors() == EXAMPLES[1].messages


def test_nothing_to_say_adds_nothing():
    form = _form()
    add_errors(form, ValidationError({"comment": "请填写理由。"}), fields=True, joined="；")
    assert form.non_field_errors() == []
    assert form.errors["comment"] == ["请填写理由。"]
    request = _request()
    message_errors(request, ValidationError([]), joined="")
    assert _flashed(request) == []
