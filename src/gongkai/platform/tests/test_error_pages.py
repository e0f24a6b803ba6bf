import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path


def boom(request):
    raise RuntimeError("internal detail that must not leak")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("fine/", fine)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.django_db
def test_500_page_is_chinese_without_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器暂时出错" in text
    assert "internal detail" not in text and "Traceback" not in text
