"""A generated, realistic corpus of township disclosure items and the queries
the search must answer (used by test_quality and by the portal's browser test).

Deterministic (seeded).  ``PLANTED`` items carry hand-written expectations;
every other expectation is checked against a plain substring oracle.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

VILLAGES = ["甘河滩村", "柳林村", "上庄村", "下河湾村", "石门村", "红柳沟村", "新民村", "东坪村"]
TOPICS = [
    ("低保", "城乡最低生活保障", "社会救助"),
    ("特困供养", "特困人员救助供养", "社会救助"),
    ("临时救助", "临时救助", "社会救助"),
    ("医疗救助", "医疗救助", "社会救助"),
    ("惠农补贴", "惠农补贴资金发放", "涉农补贴"),
    ("耕地地力保护补贴", "耕地地力保护补贴", "涉农补贴"),
    ("宅基地", "农村宅基地审批", "农村宅基地"),
    ("危房改造", "农村危房改造", "住房保障"),
    ("高标准农田", "高标准农田建设", "农田水利"),
    ("乡村振兴", "乡村振兴衔接资金", "乡村振兴"),
    ("人居环境", "农村人居环境整治", "生态环境"),
    ("森林防火", "森林防火", "应急管理"),
    ("防汛", "防汛抗旱", "应急管理"),
    ("安全生产", "安全生产检查", "安全生产"),
    ("预算", "部门预算", "财政预决算"),
    ("决算", "部门决算", "财政预决算"),
    ("政府采购", "政府采购项目", "政府采购"),
    ("就业", "公益性岗位就业援助", "就业"),
    ("养老", "居家养老服务", "养老服务"),
    ("残疾人", "残疾人两项补贴", "社会救助"),
]
TITLE_PATTERNS = [
    "关于{year}年{village}{name}名单的公示",
    "{town}{year}年{name}工作方案",
    "关于做好{year}年度{name}工作的通知",
    "{town}关于第{batch}批{name}情况的公告",
    "{year}年{quarter}{name}发放情况公示",
]
BODY_SENTENCES = [
    "根据有关规定，经村民代表会议评议、乡镇审核，现将{village}{name}有关情况予以公示。",
    "本次共涉及{n}户{m}人，发放资金{amount}元。",
    "公示期为{days}天，如有异议，请在公示期内向{town}{office}反映，联系电话{phone}。",
    "各村要高度重视{name}工作，严格按照程序办理，确保政策落实到位。",
    "资金通过“一卡通”发放至群众账户，标准为每人每月{std}元。",
    "{year}年全镇共完成{name}项目{n}个，总投资{amount}万元。",
]
TOWNS = ["甘河滩镇", "柳林镇"]
OFFICES = ["社会事务办公室", "农业农村办公室", "经济发展办公室", "党政办公室"]
QUARTERS = ["一季度", "二季度", "三季度", "四季度"]
KINDS = ["notice", "list", "policy", "notice", "list"]


@dataclass
class CorpusItem:
    key: str
    title: str
    body: str
    document_number: str = ""
    kind: str = "notice"
    category: str = ""
    year: int = 2024
    state: str = "published"  # published | withdrawn | draft | on_request
    org: str = "org"  # org | other_org


# Hand-planted items with hand-written expectations (see PLANTED_QUERIES).
PLANTED: list[CorpusItem] = [
    CorpusItem("gzf3", "关于调整城乡居民最低生活保障标准的通知", "自2024年7月1日起，城市低保标准提高到每人每月780元。",
               "甘政发〔2024〕3号", "policy", "社会救助"),
    CorpusItem("gzf31", "关于印发防汛应急预案的通知", "做好汛期值班值守。", "甘政发〔2024〕31号", "policy", "应急管理"),
    CorpusItem("gzf13", "关于开展春季植树造林的通知", "全镇植树造林任务。", "甘政发〔2024〕13号", "policy", "生态环境"),
    CorpusItem("gzf2023", "关于印发2023年工作要点的通知", "围绕乡村振兴开展工作。", "甘政发〔2023〕3号", "policy"),
    CorpusItem("hzb15", "河湾区农村宅基地管理办法", "规范农村宅基地审批管理，保障农民合法权益。", "河政办〔2023〕15号",
               "normative", "农村宅基地", 2023),
    CorpusItem("interp", "《河湾区农村宅基地管理办法》政策解读", "一图读懂宅基地审批流程：申请、审查、审批三个环节。", "",
               "interpretation", "农村宅基地", 2023),
    CorpusItem("gdp", "2024年GDP统计公报", "全镇地区生产总值（GDP）增长６．５％。", "", "notice"),
    CorpusItem("fullwidth", "关于２０２５年度惠农补贴发放的公示", "第３批惠农补贴共计１２８户。", "柳政发〔2025〕7号",
               "list", "涉农补贴", 2025, "published", "other_org"),
    CorpusItem("xss", "<script>alert('标题')</script>低保复核结果", "<img src=x onerror=alert(1)>低保复核。", "",
               "list", "社会救助"),
    # Must never be found:
    CorpusItem("withdrawn", "关于低保对象动态调整的公示（已撤回）", "低保惠农补贴宅基地甘政发", "甘政发〔2024〕3号",
               "list", "社会救助", 2024, "withdrawn"),
    CorpusItem("draft", "低保宅基地惠农补贴草稿", "草稿正文低保", "甘政发〔2024〕99号", "notice", "", 2024, "draft"),
    CorpusItem("onrequest", "低保个案材料", "依申请公开的低保材料", "", "notice", "", 2024, "on_request"),
]  # fmt: skip

NEVER = {"withdrawn", "draft", "onrequest"}

# query -> keys that must be among the hits (and, with "exact", nothing else).
PLANTED_QUERIES: list[tuple[str, set[str], bool]] = [
    ("甘政发〔2024〕3号", {"gzf3"}, True),
    ("甘政发[2024]3号", {"gzf3"}, True),
    ("甘政发2024 3号", {"gzf3", "gzf13"}, True),
    ("甘政发（2024）31号", {"gzf31"}, True),
    ("河政办〔2023〕15号", {"hzb15"}, True),
    ("柳政发〔2025〕7号", {"fullwidth"}, True),
    ("2025年度惠农补贴", {"fullwidth"}, False),
    ("第3批", {"fullwidth"}, False),
    ("gdp", {"gdp"}, True),
    ("GDP", {"gdp"}, True),
    ("6.5%", {"gdp"}, False),
    ("一图读懂", {"interp"}, True),
    ("低保复核", {"xss"}, True),
    ("script", {"xss"}, True),
    ("780元", {"gzf3"}, False),
]

# Generic queries: checked against the substring oracle (and must hit something).
ORACLE_QUERIES = [
    "低保", "救助", "补贴", "防汛", "预算", "决算", "采购", "养老", "就业", "公示",
    "宅基地", "残疾人", "一卡通", "危房改", "高标准",
    "惠农补贴", "乡村振兴", "临时救助", "特困供养", "人居环境", "森林防火", "安全生产",
    "甘河滩村", "2024年", "2023年度", "一季度", "第2批", "每人每月", "社会事务办公室",
    "低保 2024", "柳林村 公示", "耕地地力保护补贴",
]  # fmt: skip


def generate(n: int = 240, seed: int = 20240601) -> list[CorpusItem]:
    rng = random.Random(seed)
    out: list[CorpusItem] = []
    for i in range(n):
        short, name, category = rng.choice(TOPICS)
        year = rng.choice([2023, 2024, 2024, 2025])
        fields = {
            "year": year,
            "village": rng.choice(VILLAGES),
            "town": rng.choice(TOWNS),
            "name": name if rng.random() < 0.7 else short,
            "batch": rng.randint(1, 6),
            "quarter": rng.choice(QUARTERS),
            "office": rng.choice(OFFICES),
            "n": rng.randint(3, 400),
            "m": rng.randint(5, 900),
            "amount": rng.randint(1000, 900000),
            "days": rng.choice([5, 7, 10]),
            "phone": f"0931-{rng.randint(1000000, 9999999)}",
            "std": rng.choice([560, 610, 680, 720]),
        }
        title = rng.choice(TITLE_PATTERNS).format(**fields)
        body = "".join(s.format(**fields) for s in rng.sample(BODY_SENTENCES, k=rng.randint(2, 5)))
        number = ""
        if rng.random() < 0.3:
            prefix = rng.choice(["甘政办发", "甘社字", "柳政办"])
            number = f"{prefix}〔{year}〕{rng.randint(40, 200)}号"
        state = "published"
        roll = rng.random()
        if roll < 0.06:
            state = "withdrawn"
        elif roll < 0.10:
            state = "draft"
        out.append(
            CorpusItem(
                key=f"gen{i}",
                title=title,
                body=body,
                document_number=number,
                kind=rng.choice(KINDS),
                category=category,
                year=year,
                state=state,
                org=rng.choice(["org", "org", "other_org"]),
            )
        )
    return out


def published_at(item: CorpusItem, index: int) -> dt.datetime:
    day = dt.date(item.year, 1, 1) + dt.timedelta(days=(index * 7) % 360)
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)


# --- the bench's generator (bench/search.py) and query mix ---------------------------

BENCH_QUERIES = [
    "低保", "救助", "宅基地", "残疾人", "惠农补贴", "乡村振兴", "森林防火",
    "甘政发〔2024〕3号", "2024年", "第3批", "一图读懂", "低保 2024",
]  # fmt: skip


def bench_items(n: int, seed: int = 7):
    """(pk, year, title, body, 文号) of ``n`` generated items, as the bench builds them."""
    import random

    rng = random.Random(seed)
    for i in range(n):
        short, name, _ = TOPICS[rng.randrange(len(TOPICS))]
        year = 2020 + rng.randrange(6)
        f = {
            "year": year,
            "village": VILLAGES[rng.randrange(len(VILLAGES))],
            "town": TOWNS[i % 2],
            "name": name if rng.random() < 0.7 else short,
            "batch": rng.randint(1, 6),
            "quarter": QUARTERS[rng.randrange(4)],
            "office": OFFICES[rng.randrange(4)],
            "n": rng.randint(3, 400),
            "m": rng.randint(5, 900),
            "amount": rng.randint(1000, 900000),
            "days": 7,
            "phone": f"0931-{rng.randint(1000000, 9999999)}",
            "std": 680,
        }
        title = TITLE_PATTERNS[rng.randrange(len(TITLE_PATTERNS))].format(**f)
        body = "".join(s.format(**f) for s in rng.sample(BODY_SENTENCES, k=3))
        number = f"甘政发〔{year}〕{rng.randint(1, 300)}号" if rng.random() < 0.3 else ""
        if i % 50_000 == 17:
            title, body = "《农村宅基地管理办法》政策解读", "一图读懂宅基地审批流程。"
        yield i + 1, year, title, body, number
