import pytest
from django.core.exceptions import ValidationError

from gongkai.organizations.validators import is_valid_uscc, uscc_check_char, validate_uscc


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
