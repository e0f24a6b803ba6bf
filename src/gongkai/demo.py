"""Demo data: a fictional district with two towns and a bureau.

``load_demo()`` creates the organizations and users, then calls
``gongkai.<app>.demo.load(ctx)`` for each app in :data:`DEMO_APPS` that has
such a module, all inside one transaction: either the whole demo is loaded or
nothing is.  The names and people are invented for the demo.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gongkai.core.outbound import outbound_off
from gongkai.organizations.models import Membership, Organization, Role, Unit
from gongkai.organizations.validators import uscc_check_char

DEMO_PASSWORD = "gongkai-demo"  # noqa: S105 - published demo password, refused in production
DEMO_APPS = (
    "organizations",
    "disclosure",
    "applications",
    "appeals",
    "consultations",
    "reports",
    "inquiries",
    "urging",
    "portal",
)
MARKER_SLUG = "ganhetan"  # present once the demo has been loaded


class DemoRefused(Exception):
    """The demo cannot be loaded here (production mode); message in Chinese."""


@dataclass
class DemoContext:
    """What app demo loaders receive.  Users are keyed by user name."""

    district: Organization  # 河湾区人民政府 (county: supervisor, clerk, approver)
    ganhetan: Organization  # 甘河滩镇人民政府 (town, full staff)
    liulin: Organization  # 柳林镇人民政府 (town, one clerk)
    minzheng: Organization  # 河湾区民政局 (department, one clerk)
    units: dict[str, Unit]  # 甘河滩 units by name: 党政办公室, 经济发展办公室, ...
    users: dict[str, object]  # by user name
    today: dt.date
    now: dt.datetime
    password: str = DEMO_PASSWORD
    log: Callable[[str], None] = field(default=lambda message: None)

    @property
    def organizations(self) -> list[Organization]:
        return [self.district, self.ganhetan, self.liulin, self.minzheng]

    # 甘河滩 staff, one per role, and the others.
    @property
    def supervisor(self):
        return self.users["hewan_supervisor"]

    @property
    def clerk(self):
        return self.users["ganhetan_clerk"]

    @property
    def reviewer(self):
        return self.users["ganhetan_reviewer"]

    @property
    def approver(self):
        return self.users["ganhetan_approver"]

    @property
    def office_head(self):
        return self.users["ganhetan_office_head"]

    @property
    def admin(self):
        return self.users["ganhetan_admin"]

    @property
    def district_clerk(self):
        return self.users["hewan_clerk"]

    @property
    def district_approver(self):
        return self.users["hewan_approver"]

    @property
    def district_reviewer(self):
        return self.users["hewan_reviewer"]

    @property
    def district_admin(self):
        return self.users["hewan_admin"]

    @property
    def minzheng_admin(self):
        return self.users["minzheng_admin"]

    @property
    def liulin_clerk(self):
        return self.users["liulin_clerk"]

    @property
    def minzheng_clerk(self):
        return self.users["minzheng_clerk"]


# (user name, full name, organization key, role, unit name or "")
DEMO_USERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("hewan_supervisor", "周立群", "district", Role.SUPERVISOR, ""),
    ("hewan_clerk", "郑文博", "district", Role.CLERK, ""),
    ("hewan_approver", "孟庆华", "district", Role.APPROVER, ""),
    ("hewan_reviewer", "钱永刚", "district", Role.REVIEWER, ""),
    ("hewan_admin", "田丽娟", "district", Role.ADMIN, ""),
    ("ganhetan_clerk", "李晓燕", "ganhetan", Role.CLERK, "党政办公室"),
    ("ganhetan_reviewer", "王建国", "ganhetan", Role.REVIEWER, "党政办公室"),
    ("ganhetan_approver", "赵志强", "ganhetan", Role.APPROVER, ""),
    ("ganhetan_office_head", "陈雪梅", "ganhetan", Role.OFFICE_HEAD, "党政办公室"),
    ("ganhetan_admin", "刘海涛", "ganhetan", Role.ADMIN, "党政办公室"),
    ("liulin_clerk", "孙明月", "liulin", Role.CLERK, ""),
    ("minzheng_clerk", "何静", "minzheng", Role.CLERK, ""),
    ("minzheng_admin", "宋雅琴", "minzheng", Role.ADMIN, ""),
)
GANHETAN_UNITS = ("党政办公室", "经济发展办公室", "社会事务办公室", "农业农村办公室")


def demo_present() -> bool:
    return Organization.objects.filter(slug=MARKER_SLUG).exists()


def _credit_code(serial: int) -> str:
    # A fictitious but checksum-valid 统一社会信用代码 (GB 32100-2015):
    # 1 = 机关, 1 = 机关 category, 999999 = a non-existent region.
    base = f"11999999MB{serial:07d}"
    return base + uscc_check_char(base)


def _organizations() -> dict[str, Organization]:
    common_hours = "工作日 上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）"
    district = Organization.objects.create(
        name="河湾区人民政府",
        short_name="河湾区政府",
        slug="hewan",
        level=Organization.Level.COUNTY,
        credit_code=_credit_code(1),
        office_name="河湾区人民政府办公室（政务公开办公室）",
        office_address="河湾区滨河路 88 号区政府大楼 3 楼 302 室",
        office_hours=common_hours,
        office_phone="0999-86120000",
        office_fax="0999-86120001",
        office_email="gongkai@hewan.example.gov.cn",
        office_postcode="999100",
        office_website="https://www.hewan.example.gov.cn",
        # The district is the root of the demo tree, so its reconsideration body
        # (the city government, 行政复议法第二十四条第一款第（二）项) is recorded;
        # a county government is sued at the intermediate court (行政诉讼法第十五条第（一）项).
        reconsideration_body="河州市人民政府",
        court="河州市中级人民法院",
    )
    ganhetan = Organization.objects.create(
        name="甘河滩镇人民政府",
        short_name="甘河滩镇",
        slug="ganhetan",
        level=Organization.Level.TOWN,
        parent=district,
        credit_code=_credit_code(2),
        office_name="甘河滩镇人民政府党政办公室",
        office_address="河湾区甘河滩镇人民路 1 号镇政府一楼便民服务中心",
        office_hours=common_hours,
        office_phone="0999-86230000",
        office_fax="0999-86230001",
        office_email="gongkai@ganhetan.example.gov.cn",
        office_postcode="999131",
        office_website="https://www.hewan.example.gov.cn/ganhetan",
        # reconsideration_body left blank: derived (河湾区人民政府) from the parent.
        court="河湾区人民法院",
    )
    liulin = Organization.objects.create(
        name="柳林镇人民政府",
        short_name="柳林镇",
        slug="liulin",
        level=Organization.Level.TOWN,
        parent=district,
        credit_code=_credit_code(3),
        office_name="柳林镇人民政府党政办公室",
        office_address="河湾区柳林镇柳林大街 16 号",
        office_hours=common_hours,
        office_phone="0999-86340000",
        office_email="gongkai@liulin.example.gov.cn",
        office_postcode="999132",
        court="河湾区人民法院",
    )
    minzheng = Organization.objects.create(
        name="河湾区民政局",
        short_name="区民政局",
        slug="hewan-minzheng",
        level=Organization.Level.DEPARTMENT,
        parent=district,
        credit_code=_credit_code(4),
        office_name="河湾区民政局办公室",
        office_address="河湾区滨河路 90 号民政服务大厅",
        office_hours=common_hours,
        office_phone="0999-86150000",
        office_email="gongkai@mz.hewan.example.gov.cn",
        office_postcode="999100",
        reconsideration_body="河湾区人民政府",
        court="河湾区人民法院",
    )
    return {"district": district, "ganhetan": ganhetan, "liulin": liulin, "minzheng": minzheng}


def load_demo(*, log: Callable[[str], None] | None = None) -> DemoContext:
    """Create the demo data and run the apps' demo loaders, atomically."""
    if settings.PRODUCTION:
        raise DemoRefused("生产模式（GONGKAI_ENV=production）下不能载入演示数据。")
    if demo_present():
        raise DemoRefused("演示数据已经载入过（已存在机关“甘河滩镇人民政府”），未重复载入。")
    log = log or (lambda message: None)
    # Nothing mailed or texted to the demo's invented people, including by the
    # after-commit notices (the commit happens inside outbound_off).
    with outbound_off(), transaction.atomic():
        orgs = _organizations()
        units = {
            name: Unit.objects.create(organization=orgs["ganhetan"], name=name)
            for name in GANHETAN_UNITS
        }
        User = get_user_model()
        # One hash for the one published demo password: hashing it eight
        # times at production strength would cost seconds on every first start.
        password_hash = make_password(DEMO_PASSWORD)
        users = {}
        for username, full_name, org_key, role, unit_name in DEMO_USERS:
            user = User(
                username=username,
                # Chinese names read surname first: keep the whole name in one
                # field so get_full_name() shows "李晓燕", not "晓燕 李".
                first_name=full_name,
                email=f"{username}@example.org",
            )
            user.password = password_hash
            user.save()
            Membership.objects.create(
                user=user,
                organization=orgs[org_key],
                role=role,
                unit=units.get(unit_name) if unit_name else None,
            )
            users[username] = user
        ctx = DemoContext(
            district=orgs["district"],
            ganhetan=orgs["ganhetan"],
            liulin=orgs["liulin"],
            minzheng=orgs["minzheng"],
            units=units,
            users=users,
            today=timezone.localdate(),
            now=timezone.now(),
            log=log,
        )
        log(f"已创建 {len(orgs)} 个机关、{len(units)} 个科室、{len(users)} 个用户。")
        for app in DEMO_APPS:
            module = _demo_module(app)
            if module is not None:
                module.load(ctx)
                log(f"已载入 {app} 的演示数据。")
    return ctx


def _demo_module(app: str):
    dotted = f"gongkai.{app}.demo"
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name != dotted:
            raise
        return None


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, organization, role label) for the start-up banner and docs."""
    names = {
        "district": "河湾区人民政府",
        "ganhetan": "甘河滩镇人民政府",
        "liulin": "柳林镇人民政府",
        "minzheng": "河湾区民政局",
    }
    return [(u, names[o], str(Role(r).label)) for u, _, o, r, _ in DEMO_USERS]
