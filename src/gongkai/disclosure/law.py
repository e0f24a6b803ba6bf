"""The statute's lists the disclosure app uses, as data (no Django).

- 条例第二十条: the fifteen kinds of information every body discloses proactively.
- 条例第二十一条: the areas a 乡（镇）人民政府 adds.
- 国办发〔2019〕54号: the 26 areas of the grassroots standard catalogue
  (基层政务公开标准目录); the regulations digest marks the exact list "verify".
"""

from __future__ import annotations

# (key, label).  Keys are stable identifiers stored in Item.article_item.
ARTICLE_20_ITEMS: tuple[tuple[str, str], ...] = (
    ("a20_01", "第二十条（一）行政法规、规章和规范性文件"),
    ("a20_02", "第二十条（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    ("a20_03", "第二十条（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    ("a20_04", "第二十条（四）国民经济和社会发展统计信息"),
    ("a20_05", "第二十条（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    (
        "a20_06",
        "第二十条（六）实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定",
    ),
    ("a20_07", "第二十条（七）财政预算、决算信息"),
    ("a20_08", "第二十条（八）行政事业性收费项目及其依据、标准"),
    ("a20_09", "第二十条（九）政府集中采购项目的目录、标准及实施情况"),
    ("a20_10", "第二十条（十）重大建设项目的批准和实施情况"),
    (
        "a20_11",
        "第二十条（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    ("a20_12", "第二十条（十二）突发公共事件的应急预案、预警信息及应对情况"),
    ("a20_13", "第二十条（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    ("a20_14", "第二十条（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"),
    ("a20_15", "第二十条（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
)

# 条例第二十一条, the part addressed to 乡（镇）人民政府.
ARTICLE_21_TOWN_AREAS: tuple[tuple[str, str], ...] = (
    ("a21_01", "第二十一条 贯彻落实农业农村政策"),
    ("a21_02", "第二十一条 农田水利工程建设运营"),
    ("a21_03", "第二十一条 农村土地承包经营权流转"),
    ("a21_04", "第二十一条 宅基地使用情况审核"),
    ("a21_05", "第二十一条 土地征收"),
    ("a21_06", "第二十一条 房屋征收"),
    ("a21_07", "第二十一条 筹资筹劳"),
    ("a21_08", "第二十一条 社会救助"),
)

ARTICLE_ITEM_CHOICES: tuple[tuple[str, str], ...] = ARTICLE_20_ITEMS + ARTICLE_21_TOWN_AREAS

# 国办发〔2019〕54号 基层政务公开标准目录: 26 areas (exact list: verify).
GRASSROOTS_AREAS: tuple[str, ...] = (
    "城乡规划",
    "重大建设项目",
    "公共资源交易",
    "财政预决算",
    "安全生产",
    "税收管理",
    "征地补偿",
    "国有土地上房屋征收与补偿",
    "农村危房改造",
    "生态环境",
    "公共文化服务",
    "公共法律服务",
    "扶贫",
    "救灾",
    "食品药品监管",
    "城市综合执法",
    "涉农补贴",
    "就业",
    "社会救助",
    "养老服务",
    "户籍管理",
    "社会保险",
    "卫生健康",
    "市政服务",
    "保障性住房",
    "义务教育",
)

# A department's own columns (部门履职信息) instead of the grassroots areas, which
# are a government's (a 县教育局 does not keep a town's 户籍管理 or 义务教育 column
# of its own; it discloses its duties, its documents and its spending): the
# usual columns of a department's 政府信息公开目录 under 条例第二十条.
DEPARTMENT_AREAS: tuple[str, ...] = (
    "机构职能",
    "政策文件",
    "规划计划",
    "行政权力运行",
    "财政资金",
    "政府采购",
    "人事信息",
    "建议提案办理",
    "工作动态",
    "统计信息",
)

# Levels whose bodies are departments (部门): they get DEPARTMENT_AREAS.
DEPARTMENT_LEVELS = frozenset({"department"})

# Levels that are 乡（镇）/街道 bodies, to which 第二十一条's town list applies.
TOWN_LEVELS = frozenset({"town"})
