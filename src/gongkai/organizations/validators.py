"""Validators for organization data."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters from a
# 31-character set (digits and capitals without I, O, Z, S, V); the 18th is a
# check character computed modulo 31 with weights 3**i mod 31.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_CHARSET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_uscc(value: str) -> None:
    """Validate a 统一社会信用代码; an empty value is allowed (the field is optional)."""
    if not value:
        return
    if len(value) != 18:
        raise ValidationError(
            "统一社会信用代码应为 18 位，当前为 %(n)s 位。",
            code="uscc_length",
            params={"n": len(value)},
        )
    bad = sorted({c for c in value if c not in USCC_CHARSET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（只能使用数字和除 I、O、Z、S、V 以外的大写字母）。",
            code="uscc_charset",
            params={"chars": "、".join(bad)},
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对后重新输入。", code="uscc_checksum"
        )


# Paths the site takes before the portal's ``/<slug>/`` (gongkai.config.urls,
# gongkai.portal.urls, STATIC_URL): a body with one of these slugs would have an
# unreachable public site.  Compared case-insensitively, so that no body's
# address differs from a system path only in case.
RESERVED_SLUGS = frozenset(
    {
        "search",
        "status",
        "screen",
        "api",
        "care",
        "reports",
        "static",
        "admin",
        "backoffice",
        "healthz",
    }
)


def validate_slug_not_reserved(value: str) -> None:
    """Refuse a 网址标识 that a system path already uses."""
    if value and value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            "网址标识“%(slug)s”已被系统使用（网站的 /%(slug)s/ 地址另有用途），请换一个，"
            "例如在前面加上地名拼音。不可使用：%(reserved)s。",
            code="slug_reserved",
            params={"slug": value, "reserved": "、".join(sorted(RESERVED_SLUGS))},
        )
