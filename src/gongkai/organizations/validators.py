"""Validators for organization data."""

from __future__ import annotations

import re

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


# --- A body's own host name (issue #13: one platform, many sites) ------------

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def normalize_site_host(value: str) -> str:
    """Lower case, no surrounding blanks or final dot; a Chinese name
    (河湾.政务.cn) in its IDNA (punycode) form, as a browser sends it in ``Host``."""
    value = (value or "").strip().rstrip(".").lower()
    if value and not value.isascii():
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # left as typed: validate_site_host refuses it with a message
    return value


def validate_site_host(value: str) -> None:
    """A host name only: no scheme, port, path, IP address or wildcard; at least
    two labels of letters, digits and hyphens (RFC 1035), lower case."""
    if not value:
        return
    if "://" in value or "/" in value:
        raise ValidationError(
            "只填写域名，不要带 http://、https:// 或路径，例如 ganhetan.hewan.gov.cn。",
            code="site_host_url",
        )
    if ":" in value or value.startswith("["):
        raise ValidationError(
            "只填写域名，不要带端口号（端口由反向代理处理），例如 ganhetan.hewan.gov.cn。",
            code="site_host_port",
        )
    if value != value.lower():
        raise ValidationError("域名应为小写字母。", code="site_host_case")
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValidationError(
            "“%(host)s”不是有效的域名：应由两段以上组成，每段只含小写字母、数字和连字符"
            "（不以连字符开头或结尾，每段不超过 63 个字符），例如 ganhetan.hewan.gov.cn。",
            code="site_host_invalid",
            params={"host": value},
        )
    if labels[-1].isdigit():
        raise ValidationError("请填写域名，不要填写 IP 地址。", code="site_host_ip")
