"""信息处理费 (国办函〔2020〕109号): hand-computed amounts, arithmetic in the comments."""

from __future__ import annotations

import pytest

from gongkai import fees
from gongkai.fees import (
    FeeBand,
    fee_for_nth_application,
    fee_per_application,
    fee_per_page,
    quote,
)


@pytest.mark.parametrize(
    ("count", "total"),
    [
        (0, 0),  # nothing applied for
        (10, 0),  # 1-10 free
        (11, 100),  # 10 free + 1 x 100
        (30, 2000),  # 10 free + 20 x 100
        (31, 2200),  # 2000 + 1 x 200
        (40, 4000),  # 2000 + 10 x 200
        (41, 4300),  # 4000 + 1 x 300
        (45, 5500),  # 2000 + 2000 + 5 x 300 = 5,500 (the digest's example)
        # 2000 + 31-40: 2000 + 41-50: 3000 + 51-60: 4000 + 61-70: 5000
        # + 71-80: 6000 + 81-90: 7000 + 91-100: 8000 = 37,000
        (100, 37000),
    ],
)
def test_fee_per_application_month_total(count, total):
    assert fee_per_application(count) == total


@pytest.mark.parametrize(
    ("n", "fee"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),  # first band of 10 after the 30th: 100 + 100
        (40, 200),
        (41, 300),
        (45, 300),
        (50, 300),
        (51, 400),
        (100, 800),  # 91-100 is the 7th band after 30: 100 + 7 x 100
    ],
)
def test_fee_for_nth_application(n, fee):
    assert fee_for_nth_application(n) == fee


def test_month_total_is_sum_of_marginal_fees():
    for count in range(0, 121):
        assert fee_per_application(count) == sum(
            fee_for_nth_application(n) for n in range(1, count + 1)
        )


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (0, 0),
        (30, 0),  # up to 30 free
        (31, 10),  # 1 x 10
        (100, 700),  # 70 x 10
        (101, 720),  # 700 + 1 x 20
        (150, 1700),  # 700 + 50 x 20 = 1,700 (the digest's example)
        (200, 2700),  # 700 + 100 x 20
        (201, 2740),  # 2700 + 1 x 40
        (500, 14700),  # 2700 + 300 x 40
    ],
)
def test_fee_per_page(pages, amount):
    assert fee_per_page(pages) == amount


def test_quote_per_page_breakdown():
    q = quote(method="per_page", pages=150)
    assert q.method == "per_page" and q.method_label == "按量计收"
    assert q.amount == 1700
    assert q.bands == (FeeBand(1, 30, 0), FeeBand(31, 100, 10), FeeBand(101, 150, 20))
    assert "国办函〔2020〕109号" in q.basis
    assert "条例》第四十二条" in q.basis
    assert "第31—100页70页×10元/页=700元" in q.basis
    assert "第101—150页50页×20元/页=1,000元" in q.basis
    assert "合计1,700元" in q.basis


def test_quote_per_application_is_this_applications_fee():
    q = quote(method="per_application", applications_in_month=45)
    assert q.amount == 300  # the 45th application falls in the 41-50 band
    assert "第41—45件5件×300元/件=1,500元" in q.basis
    assert "本月累计5,500元" in q.basis
    assert "本件为本月第45件，按300元/件计收信息处理费300元" in q.basis


def test_quote_free():
    q = quote(method="per_application", applications_in_month=3)
    assert q.amount == 0 and "不收取信息处理费" in q.basis
    q = quote(method="per_page", pages=0)
    assert q.amount == 0 and "不收取信息处理费" in q.basis


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"method": "per_page", "pages": 40, "applications_in_month": 12},
            "只能选择按件计收或按量计收中的一种方式",
        ),
        ({"method": "per_page"}, "按量计收须填写页数"),
        ({"method": "per_application"}, "按件计收须填写"),
        ({"method": "per_application", "applications_in_month": 0}, "至少为1"),
        ({"method": "per_page", "pages": -1}, "页数不能为负数"),
        ({"method": "per_page", "pages": 1.5}, "页数必须是整数"),
        ({"method": "both", "pages": 3}, "未知的计费方式"),
    ],
)
def test_quote_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        quote(**kwargs)


def test_bad_counts():
    with pytest.raises(ValueError, match="申请序号从1开始"):
        fee_for_nth_application(0)
    with pytest.raises(ValueError, match="不能为负数"):
        fee_per_application(-1)
    with pytest.raises(ValueError, match="必须是整数"):
        fee_per_page(True)
    assert fees.METHODS == {"per_application": "按件计收", "per_page": "按量计收"}
