import pytest
from django.core.exceptions import ValidationError

from gongkai.organizations.validators import (
    RESERVED_SLUGS,
    is_valid_uscc,
    uscc_check_char,
    validate_slug_not_reserved,
    validate_uscc,
)


def test_known_codes_pass():
    # Hand-checked with GB 32100-2015 weights: 9 1 1 1 0 0 0 0 6 0 0 0 3 7 3 4 1 -> L
    assert uscc_check_char("91110000600037341") == "L"
    validate_uscc("91110000600037341L")
    validate_uscc("11110000000021135M")


def test_check_char_zero_case():
    # sum ≡ 0 (mod 31) gives check value 31 -> 0 in the standard.
    assert uscc_check_char("0" * 17) == "0"
    assert is_valid_uscc("0" * 18)


def test_blank_allowed():
    validate_uscc("")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9111000060003734", "uscc_length"),
        ("91110000600037341LX", "uscc_length"),
        ("91110000600037341I", "uscc_charset"),
        ("9111000060003734lL", "uscc_charset"),
        ("91110000600037341K", "uscc_checksum"),
    ],
)
def test_bad_codes_refused_in_chinese(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert exc.value.code == code
    assert "统一社会信用代码" in exc.value.messages[0]


@pytest.mark.parametrize(
    "slug",
    ["search", "status", "screen", "api", "care", "reports", "static", "admin", "backoffice",
     "healthz", "API", "Admin"],
)  # fmt: skip
def test_reserved_slugs_refused_in_chinese(slug):
    with pytest.raises(ValidationError) as exc:
        validate_slug_not_reserved(slug)
    assert exc.value.code == "slug_reserved"
    assert f"网址标识“{slug}”已被系统使用" in exc.value.messages[0]


@pytest.mark.parametrize("slug", ["ganhetan", "api-town", "searching", "reports2", ""])
def test_ordinary_slugs_pass(slug):
    validate_slug_not_reserved(slug)


@pytest.mark.django_db
def test_organization_slug_field_uses_the_validator(district):
    from gongkai.organizations.factories import OrganizationFactory

    org = OrganizationFactory.build(slug="api", parent=district, may_make_regulations=False)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "slug" in exc.value.message_dict
    assert "已被系统使用" in exc.value.message_dict["slug"][0]
    org.slug = "api-town"
    org.full_clean()


def test_every_fixed_site_prefix_is_reserved(settings):
    """Each literal first path segment the site routes before the portal's
    ``<slug>/`` must be reserved, so the list cannot drift from the URL config."""
    from django.urls import URLPattern, URLResolver

    from gongkai.config import urls as site_urls
    from gongkai.portal import urls as portal_urls

    def first_segments(patterns):
        for p in patterns:
            route = str(p.pattern)
            head = route.split("/", 1)[0]
            if head and "<" not in head and "^" not in head:
                yield head
            elif not head and isinstance(p, URLResolver):
                yield from first_segments(p.url_patterns)
            else:
                assert isinstance(p, URLPattern | URLResolver)

    taken = set(first_segments(site_urls.urlpatterns)) | set(
        first_segments(portal_urls.urlpatterns)
    )
    taken.add(settings.STATIC_URL.strip("/"))
    assert {"api", "search", "backoffice", "reports", "static"} <= taken
    assert taken <= RESERVED_SLUGS, taken - RESERVED_SLUGS
