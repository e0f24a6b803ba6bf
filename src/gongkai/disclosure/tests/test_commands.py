import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.disclosure.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_disclosure_late_lists_overdue_and_exits_1(org, other_org):
    ItemFactory(organization=org, title="超期的草稿", formed_on=dt.date(2024, 2, 1))
    ItemFactory(organization=other_org, title="另一机关", formed_on=dt.date(2024, 3, 28))
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("disclosure_late", "--date", "2024-04-01", "--org", org.slug, stdout=out)
    assert exc.value.code == 1
    text = out.getvalue()
    assert "[已超期未公开] 超期的草稿 形成于 2024-02-01，期限 2024-03-05" in text
    assert "另一机关" not in text


def test_disclosure_late_nothing_and_bad_input(org):
    out = StringIO()
    call_command("disclosure_late", "--date", "2024-04-01", stdout=out)
    assert "没有超期未公开" in out.getvalue()
    with pytest.raises(CommandError, match="格式不对"):
        call_command("disclosure_late", "--date", "明天")
    with pytest.raises(CommandError, match="没有网址标识"):
        call_command("disclosure_late", "--org", "nope")
