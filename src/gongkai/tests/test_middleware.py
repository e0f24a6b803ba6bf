from django.urls import reverse


def test_get_on_a_post_only_url_shows_a_chinese_page(client_for, clerk):
    client = client_for(clerk)
    response = client.get(reverse("organizations:switch"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    body = response.content.decode()
    assert "操作方式不正确" in body and "返回上一页" in body


def test_api_clients_keep_the_bare_405(client_for, clerk):
    client = client_for(clerk)
    response = client.get(reverse("organizations:switch"), HTTP_ACCEPT="application/json")
    assert response.status_code == 405
    assert response.content == b""
