"""Column headers in tables written as HTML (a 公示 pasted from Word into an item
body) and as space-separated lines, not only tab-separated text (review #9 F9)."""

from __future__ import annotations

import pytest

from gongkai.privacy import BANK_CARD, BANK_SUSPECT, ID_CARD, ID_SUSPECT, mask, scan, scan_table
from gongkai.privacy.sample import make_table, table_html, table_spaced

ACCOUNT = "622202000123400"  # 15 digits, no Luhn check: only its column says what it is
BAD_ID = "110101199003071234"  # wrong check character


def test_html_table_with_a_bank_card_column():
    # The review's reproduction: this returned [].
    html = (
        "<table><tr><td>姓名</td><td>银行卡号</td></tr>"
        f"<tr><td>张0</td><td>{ACCOUNT}</td></tr></table>"
    )
    hits = scan(html)
    assert [(h.kind, h.text) for h in hits] == [(BANK_SUSPECT, ACCOUNT)]
    assert html[hits[0].start : hits[0].end] == ACCOUNT  # offsets index the HTML itself
    masked = mask(html)
    assert ACCOUNT not in masked
    assert masked == html.replace(ACCOUNT, "6222 **** **** 3400")


def test_html_table_as_word_writes_it():
    # Word: attributes, <th>/<thead>, paragraphs and spans inside cells, entities,
    # upper-case tags, a title row spanning the table, a header broken by <br>.
    html = (
        '<table class="MsoTableGrid" border="1">'
        '<tr><td colspan="4"><p align="center"><b>2024年惠农补贴发放公示</b></p></td></tr>'
        "<thead><TR><TH>序号</TH><th><p>姓&nbsp;名</p></th>"
        '<th width="120"><p><span lang="EN-US">身份证</span><br>号码</p></th>'
        "<th><p>银行卡号&nbsp;</p></th></TR></thead>"
        f'<tbody><tr><td>1</td><td><p>张三</p></td><td><p><span lang="EN-US">{BAD_ID}</span></p></td>'
        f"<td><p><span>{ACCOUNT}</span></p></td></tr>"
        "</tbody></table>"
    )
    assert [(h.kind, h.text) for h in scan(html)] == [(ID_SUSPECT, BAD_ID), (BANK_SUSPECT, ACCOUNT)]


def test_only_the_cells_under_the_header_and_only_in_that_table():
    html = (
        "<p>注：账户余额见附表</p>"
        "<table><tr><th>姓名</th><th>银行卡号</th><th>备注</th></tr>"
        f"<tr><td>张三</td><td>{ACCOUNT}</td><td>{ACCOUNT}</td></tr></table>"
        f"<p>{ACCOUNT}</p>"
        f"<table><tr><td>李四</td><td>{ACCOUNT}</td></tr></table>"
    )
    hits = scan(html)
    assert [h.kind for h in hits] == [BANK_SUSPECT]
    assert hits[0].start == html.index(ACCOUNT)


def test_colspan_keeps_the_columns_aligned():
    html = (
        '<table><tr><td>序号</td><td colspan="2">姓名及村组</td><td>银行卡号</td></tr>'
        f"<tr><td>1</td><td>张三</td><td>{ACCOUNT}</td><td>{ACCOUNT[::-1]}</td></tr></table>"
    )
    assert [h.text for h in scan(html)] == [ACCOUNT[::-1]]


def test_order_number_column_in_html_is_no_card():
    card = make_table(1, seed=1).rows[1][5]  # Luhn-valid
    html = f"<table><tr><td>订单号</td></tr><tr><td>{card}</td></tr></table>"
    assert scan(html) == []
    assert [h.kind for h in scan(html.replace("订单号", "备注"))] == [BANK_CARD]


def test_html_comments_and_text_outside_tables_do_not_open_a_column():
    html = f"<!-- <table><tr><td>银行卡号</td></tr> --><table><tr><td>{ACCOUNT}</td></tr></table>"
    assert scan(html) == []


def test_space_separated_rows():
    # The same table as plain text with spaces between cells (copied from a PDF
    # or typed): this also returned [].
    text = f"姓名 银行卡号\n张0 {ACCOUNT}\n李四  {ACCOUNT[:-1]}9\n\n说明 {ACCOUNT}"
    hits = scan(text)
    assert [(h.kind, h.line) for h in hits] == [(BANK_SUSPECT, 2), (BANK_SUSPECT, 3)]
    assert ACCOUNT not in mask(text).split("说明")[0]
    assert mask(text).endswith(f"说明 {ACCOUNT}")  # after the table: no column


def test_space_separated_rows_with_ideographic_spaces_and_an_id_column():
    text = f"序号\u3000姓名\u3000身份证号码\n1\u3000张三\u3000{BAD_ID}"
    assert [h.kind for h in scan(text)] == [ID_SUSPECT]


def test_a_row_with_another_number_of_cells_is_not_guessed():
    text = f"姓名 银行卡号\n张 三 {ACCOUNT}"
    assert scan(text) == []


@pytest.mark.parametrize("render", [table_html, table_spaced])
def test_generated_notice_as_html_or_spaced_text_finds_what_the_table_scan_finds(render):
    table = make_table(300, seed=11)
    expected = [(h.kind, h.text) for h in scan_table(table.rows)]
    found = [(h.kind, h.text) for h in scan(render(table.rows))]
    assert found == expected
    assert {ID_CARD, ID_SUSPECT, BANK_CARD} <= {k for k, _ in found}
