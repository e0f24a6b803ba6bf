"""The domain error pair: who catches what, and what the user sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory

from gongkai.core.errors import Forbidden, Invalid, WrongState, require


def test_forbidden_is_caught_as_permission_denied_and_as_permission_error():
    # Both spellings exist in the apps' tests and views (PermissionDenied in
    # disclosure, PermissionError in applications, reports, appeals).
    with pytest.raises(PermissionDenied, match="只有审批领导可以审批"):
        raise Forbidden("只有审批领导可以审批年度报告。")
    with pytest.raises(PermissionError, match="只有审批领导可以审批"):
        raise Forbidden("只有审批领导可以审批年度报告。")
    exc = Forbidden("不能审查自己起草的信息。")
    assert str(exc) == "不能审查自己起草的信息。"
    assert exc.args == ("不能审查自己起草的信息。",)
    assert str(Forbidden()) == ""


def test_forbidden_takes_one_message_not_oserror_arguments():
    with pytest.raises(TypeError):
        Forbidden(13, "Permission denied")  # type: ignore[call-arg]


@pytest.mark.django_db
def test_django_answers_forbidden_with_403_and_the_chinese_reason():
    request = RequestFactory().post("/backoffice/items/1/approve/")
    response = response_for_exception(request, Forbidden("不能审批自己审查的信息。"))
    assert response.status_code == 403
    assert "不能审批自己审查的信息。" in response.content.decode()


def test_invalid_is_a_validation_error_with_messages_and_codes():
    with pytest.raises(ValidationError) as info:
        raise Invalid({"comment": "退回时请填写退回意见。"})
    assert info.value.message_dict == {"comment": ["退回时请填写退回意见。"]}
    exc = Invalid("文件过大，超过上传上限。", code="too_big")
    assert (exc.messages, exc.code) == (["文件过大，超过上传上限。"], "too_big")


def test_wrong_state_carries_the_state_and_the_action():
    exc = WrongState("当前状态为“已公开”，不能执行此操作。", state="published", action="submit")
    assert isinstance(exc, Invalid) and isinstance(exc, ValidationError)
    assert exc.messages == ["当前状态为“已公开”，不能执行此操作。"]
    assert (exc.state, exc.action, exc.code) == ("published", "submit", "invalid_transition")
    assert not isinstance(exc, PermissionDenied)


def test_require():
    require(True, "不会出现")
    require([1], "不会出现")
    with pytest.raises(Forbidden, match="^您没有退回年度报告的权限。$"):
        require(False, "您没有退回年度报告的权限。")
    with pytest.raises(PermissionError):
        require(None, "没有权限")
