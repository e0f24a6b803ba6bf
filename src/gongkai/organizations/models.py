"""Bodies (机关), their internal units (科室) and who works where in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from gongkai.annual.format import LEVELS, LEVELS_MAKING_REGULATIONS

from .validators import (
    normalize_site_host,
    validate_site_host,
    validate_slug_not_reserved,
    validate_uscc,
)

# The level keys and labels come from the one table of truth for the national
# report format; never retype them here.
Level = models.TextChoices("Level", [(key.upper(), (key, label)) for key, label in LEVELS])


def default_may_make_regulations(level: str) -> bool:
    # 《立法法》第九十三条: only 省级 and 设区的市级 governments make 规章.
    return level in LEVELS_MAKING_REGULATIONS


# Levels whose bodies are people's governments (the others: towns/streets and departments).
GOVERNMENT_LEVELS = frozenset({"province", "city", "county"})
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》（2023年修订）"


class Organization(models.Model):
    """A body that discloses government information (行政机关/政府信息公开义务主体)."""

    Level = Level

    name = models.CharField("机关名称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc]
    )
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # None means "not chosen": save() fills it from the level.
    may_make_regulations = models.BooleanField("有规章制定权", default=None)
    is_active = models.BooleanField("启用", default=True)
    slug = models.SlugField(
        "网址标识",
        max_length=60,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text="用于网址的英文标识，只能包含字母、数字、连字符和下划线，例如 ganhetan。",
    )
    # A site of its own (issue #13): the body's public pages also answer at the
    # root of this host; the platform administrator sets it, DNS and the proxy
    # must point the name at the platform (docs/platform.md).
    site_host = models.CharField(
        "独立域名",
        max_length=253,
        blank=True,
        default="",
        validators=[validate_site_host],
        help_text="本机关公开网站自己的域名（不带 http:// 和端口），例如 ganhetan.hewan.gov.cn；"
        "留空时只在平台的 /网址标识/ 下访问。域名须先解析到本平台。",
    )
    # 政府信息公开指南 (条例第十二条): where and how the public reaches the office.
    office_name = models.CharField("政府信息公开工作机构", max_length=200, blank=True)
    office_address = models.CharField("办公地址", max_length=300, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    office_phone = models.CharField("联系电话", max_length=100, blank=True)
    office_fax = models.CharField("传真", max_length=100, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_website = models.URLField("网站", blank=True)
    # Where an applicant appeals (the closing letters name both).  Blank
    # reconsideration body: derived from the hierarchy (default_reconsideration_body);
    # blank court: letters say “有管辖权的人民法院” — a court is never guessed,
    # because 行政诉讼法第十八条第二款 lets a high court assign cases across regions.
    reconsideration_body = models.CharField(
        "行政复议机关",
        max_length=200,
        blank=True,
        help_text="申请人对本机关答复不服时申请行政复议的机关，例如“河湾区人民政府”。"
        "留空时按行政复议法第二十四条由上级机关推定；实行垂直领导的机关（行政复议法第二十七条）请务必填写。",
    )
    court = models.CharField(
        "管辖法院",
        max_length=200,
        blank=True,
        help_text="申请人提起行政诉讼的人民法院全称，例如“河湾区人民法院”。"
        "留空时告知书写“有管辖权的人民法院”。",
    )
    # 机构概况 (条例第二十条第（二）项: 机关职能、机构设置、…、负责人姓名): shown on the
    # body's 机构概况 page and filling the catalogue column that asks for it.
    functions = models.TextField(
        "机构职能",
        blank=True,
        help_text="本机关的主要职责，按“三定”方案或机构职能规定填写，每条一行。",
    )
    # The body's own 公开制度 (its 工作制度: 保密审查、主动公开、依申请公开…), shown on
    # its 公开制度 page with the documents in ``rule_documents``.  Stored HTML has
    # passed nh3 (organizations.profile.clean_rules_html).
    rules_html = models.TextField("公开制度正文", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organization_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[key for key, _ in LEVELS]),
                name="organization_level_valid",
            ),
            # One body per host; host names compare in lower case.
            models.UniqueConstraint(
                fields=["site_host"],
                condition=~models.Q(site_host=""),
                name="organization_site_host_unique",
                violation_error_message="该域名已由另一个机关使用。",
            ),
            models.CheckConstraint(
                condition=models.Q(site_host=Lower("site_host")),
                name="organization_site_host_lower",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.may_make_regulations is None:
            self.may_make_regulations = default_may_make_regulations(self.level)
        self.site_host = normalize_site_host(self.site_host)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.slug])

    def clean_fields(self, exclude=None) -> None:
        self.site_host = normalize_site_host(self.site_host)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.pk and self.parent_id:
            if self.parent_id == self.pk or self.parent_id in self.descendant_ids():
                raise ValidationError({"parent": "上级机关不能是本机关或其下级机关。"})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def default_reconsideration_body(self) -> tuple[str, str] | None:
        """(name, legal basis) of the reconsideration body the hierarchy implies,
        or None when it does not say (a root body, a parent that is not a
        government): letters then name no body rather than a wrong one.

        行政复议法（2023年修订）第二十四条第一款: 县级以上地方各级人民政府 hear
        (一) their own departments, (二) the government one level below, (三) their
        派出机关 (a 街道办事处); 第二款: a province government also hears its own
        acts.  Bodies under vertical leadership (第二十七条: 海关、金融、外汇、税务、
        国家安全) go to the higher department instead: the hierarchy cannot tell,
        so they record the body explicitly.
        """
        parent = self.parent
        if self.level == Level.PROVINCE:
            return self.name, f"{RECONSIDERATION_LAW}第二十四条第二款"
        if parent is None or parent.level not in GOVERNMENT_LEVELS:
            return None
        if self.level == Level.DEPARTMENT:
            return parent.name, f"{RECONSIDERATION_LAW}第二十四条第一款第（一）项"
        if self.level == Level.TOWN:
            return parent.name, f"{RECONSIDERATION_LAW}第二十四条第一款第（二）项、第（三）项"
        if self.level == Level.COUNTY and parent.level in ("city", "province"):
            return parent.name, f"{RECONSIDERATION_LAW}第二十四条第一款第（二）项"
        if self.level == Level.CITY and parent.level == "province":
            return parent.name, f"{RECONSIDERATION_LAW}第二十四条第一款第（二）项"
        return None

    def effective_reconsideration_body(self) -> str:
        """The recorded reconsideration body, else the derived one, else ""."""
        if self.reconsideration_body.strip():
            return self.reconsideration_body.strip()
        derived = self.default_reconsideration_body()
        return derived[0] if derived else ""

    # The tree is small (a county has tens of bodies, depth ≤ 5) and changes
    # rarely, so descendants are found with one query per level instead of
    # keeping a materialised path that every re-parenting would have to fix.
    def descendant_ids(self, *, include_self: bool = False) -> set[int]:
        return descendant_ids_of([self.pk], include_self=include_self)

    def descendants(self, *, include_self: bool = False) -> models.QuerySet[Organization]:
        return Organization.objects.filter(pk__in=self.descendant_ids(include_self=include_self))

    def ancestors(self) -> list[Organization]:
        """Parent first, root last."""
        chain: list[Organization] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


def descendant_ids_of(roots: list[int] | set[int], *, include_self: bool = False) -> set[int]:
    """All organization ids below ``roots`` (one query per tree level)."""
    found: set[int] = set(roots) if include_self else set()
    frontier = set(roots)
    seen = set(roots)
    while frontier:
        children = set(
            Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = children - seen
        seen |= frontier
        found |= frontier
    return found


class Unit(models.Model):
    """An internal unit (科室) of a body."""

    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("科室名称", max_length=200)
    is_active = models.BooleanField("启用", default=True)
    # 内设机构 on the public 机构概况 page (条例第二十条第（二）项: 机构设置).
    duties = models.TextField("主要职责", blank=True)
    phone = models.CharField("办公电话", max_length=100, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    is_public = models.BooleanField(
        "在机构概况中公开",
        default=True,
        help_text="临时工作专班等不属于内设机构的科室可以不公开。",
    )

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", "经办人"
    REVIEWER = "reviewer", "保密审查"
    APPROVER = "approver", "审批领导"
    # Approves extensions of the reply period (条例第三十三条第二款: 经政府信息公开工作机构负责人同意).
    OFFICE_HEAD = "office_head", "公开办负责人"
    ADMIN = "admin", "管理员"
    SUPERVISOR = "supervisor", "监督（只读，含下级机关）"


class Membership(models.Model):
    """One role of one user in one body; a user may hold several."""

    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["organization", "user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    def clean(self) -> None:
        super().clean()
        if (
            self.unit_id
            and self.organization_id
            and self.unit.organization_id != self.organization_id
        ):
            raise ValidationError({"unit": "所选科室不属于该机关。"})


class AccountSecurity(models.Model):
    """Security state of one account.  No row means nothing is required: demo
    and existing accounts have none; an account an administrator opens gets
    ``must_change_password`` so the initial password stops working at first use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="account_security",
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("最近修改密码时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = "账号安全状态"

    def __str__(self) -> str:
        return f"{self.user} · {'须修改密码' if self.must_change_password else '正常'}"


# --- 机构概况, 政务新媒体, 公开制度: the body's own public pages ------------------------


class Leader(models.Model):
    """One member of the body's leadership (领导信息: 负责人姓名, 条例第二十条第（二）项).
    Public by law: name, 职务 and 分工 only — no photo, no personal data."""

    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.CASCADE, related_name="leaders"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100)
    duties = models.TextField("分工", blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导信息"
        verbose_name_plural = "领导信息"
        ordering = ["organization", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


class NewMediaPlatform(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "今日头条"
    CHANNELS = "channels", "视频号"
    OTHER = "other", "其他"


class NewMediaAccount(models.Model):
    """A 政务新媒体 account the body runs (条例第二十三条: 政务新媒体 is a disclosure
    channel; 国办发〔2018〕123号 asks bodies to publish their accounts)."""

    Platform = NewMediaPlatform

    organization = models.ForeignKey(
        Organization,
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="new_media_accounts",
    )
    name = models.CharField("账号名称", max_length=100)
    platform = models.CharField(
        "平台", max_length=20, choices=NewMediaPlatform.choices, default=NewMediaPlatform.WECHAT
    )
    account_id = models.CharField("账号（微信号、微博号等）", max_length=100, blank=True)
    # A PNG re-encoded by organizations.profile (never the uploaded bytes), in
    # default storage; "" when none was uploaded.
    qr_path = models.CharField("二维码存储路径", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = "政务新媒体账号"
        ordering = ["organization", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__in=NewMediaPlatform.values),
                name="newmedia_platform_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.name}"


class RuleDocument(models.Model):
    """A document of the body's own 公开制度 (e.g. 政府信息公开保密审查制度), shown
    and downloadable on its 公开制度 page."""

    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.CASCADE, related_name="rule_documents"
    )
    title = models.CharField("制度名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    order = models.PositiveIntegerField("排序", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开制度文件"
        verbose_name_plural = "公开制度文件"
        ordering = ["organization", "order", "-issued_on", "pk"]

    def __str__(self) -> str:
        return self.title
