"""The demo county's fixed content: places, handling units, people and opinions (all fictional).

Used by `manage.py demo`; kept apart so that the command reads as the steps it takes.
"""

from __future__ import annotations

import datetime

from liaison.accounts.models import Role
from liaison.cases.models import Kind
from liaison.deputies.models import DeputyLevel
from liaison.units.models import UnitKind

DEMO_PASSWORD = "Demo@2026"
# The PIN of the demo's own cases (printed by `manage.py demo`; demo data only).
DEMO_PIN = "246810"
COUNTY = "430104000000"  # 岳麓区
CITY = "430100000000"  # 长沙市
PROVINCE = "430000000000"  # 湖南省
STREETS = [
    ("430104002000", "岳麓街道"),
    ("430104001000", "望月湖街道"),
    ("430104010000", "梅溪湖街道"),
    ("430104011000", "麓谷街道"),
    ("430104012000", "坪塘街道"),
    ("430104102000", "莲花镇"),
]

# (name, kind, the level-1 category it answers by default)
UNITS = [
    ("岳麓区住房和城乡建设局", UnitKind.DEPARTMENT, "城乡建设"),
    ("岳麓区生态环境分局", UnitKind.DEPARTMENT, "环境保护"),
    ("岳麓区交通运输局", UnitKind.DEPARTMENT, "交通运输"),
    ("岳麓区教育局", UnitKind.DEPARTMENT, "教育文体"),
    ("岳麓区人力资源和社会保障局", UnitKind.DEPARTMENT, "劳动和社会保障"),
    ("岳麓区商务局", UnitKind.DEPARTMENT, "商贸旅游"),
    ("岳麓区卫生健康局", UnitKind.DEPARTMENT, "卫生计生"),
    ("岳麓街道办事处", UnitKind.TOWNSHIP, ""),
]
# Fictional opinions written for the demo.
DEMO_CASES = [
    (
        Kind.HELP,
        "小区门口路灯不亮",
        "桃花岭社区 3 栋门口路灯坏了一个多月，晚上老人出行不便，请帮忙协调维修。",
        "桃花岭社区 3 栋",
    ),
    (
        Kind.COMPLAINT,
        "老旧小区屋面漏水",
        "牌楼坪社区 12 栋顶楼屋面漏水，雨天室内渗水严重，物业一直没有处理。",
        "牌楼坪社区 12 栋",
    ),
    (
        Kind.SUGGESTION,
        "建议增设社区养老服务点",
        "后湖社区老年人多，建议在社区活动中心增设日间照料和助餐服务。",
        "后湖社区",
    ),
    (
        Kind.INQUIRY,
        "咨询加装电梯补贴政策",
        "我们单元想加装电梯，想了解申请流程和补贴标准。",
        "岳麓街道",
    ),
    (
        Kind.HELP,
        "人行道地砖破损",
        "麓山路人行道多处地砖松动破损，下雨天容易溅水，存在安全隐患。",
        "麓山路",
    ),
]

# (username, display name, role, scope region code or None for the demo station)
USERS: list[tuple[str, str, str, str | None]] = [
    ("county_staff", "周晓岚（区人大常委会）", Role.CONGRESS_STAFF, COUNTY),
    ("street_staff", "陈立新（岳麓街道人大工委）", Role.CONGRESS_STAFF, "430104002000"),
    ("station_head", "刘建华（站长）", Role.STATION_HEAD, None),
    ("officer", "黄敏（联络员）", Role.LIAISON_OFFICER, None),
    # The title follows the deputy's seats once linked (demo.py, _link_deputy_user).
    ("deputy", "谭志刚", Role.DEPUTY, None),
    ("unit", "区住建局承办人", Role.HANDLING_UNIT, "unit"),
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, COUNTY),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN, COUNTY),
    ("auditor", "审计员", Role.AUDITOR, COUNTY),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "建国志强秀英丽华海燕伟明小红国庆春梅振华晓东雪梅红霞金凤宏伟玉兰德胜文静永刚桂芝"
OCCUPATIONS = [
    ("教师", "岳麓区第一中学"),
    ("医生", "湖南省人民医院岳麓分院"),
    ("社区书记", "岳麓街道某社区党委"),
    ("企业负责人", "麓谷某科技有限公司"),
    ("农民", "莲花镇某村种植合作社"),
    ("律师", "湖南某律师事务所"),
    ("工程师", "梅溪湖某建设集团"),
    ("个体工商户", "坪塘集市"),
    ("退役军人", "望月湖街道退役军人服务站"),
    ("大学教师", "湖南某大学"),
]
TOPICS = ["教育", "养老", "交通", "环境", "就业", "社区治理"]
# (level, congress region, term, start) — the current terms.
SEATS = {
    DeputyLevel.NATIONAL: (PROVINCE, 14, datetime.date(2023, 3, 5)),
    DeputyLevel.PROVINCIAL: (PROVINCE, 14, datetime.date(2023, 1, 10)),
    DeputyLevel.CITY: (CITY, 16, datetime.date(2022, 1, 6)),
    DeputyLevel.COUNTY: (COUNTY, 18, datetime.date(2021, 12, 28)),
}
LEVEL_MIX = (
    [DeputyLevel.NATIONAL] * 1
    + [DeputyLevel.PROVINCIAL] * 2
    + [DeputyLevel.CITY] * 4
    + [DeputyLevel.COUNTY] * 13
    + [DeputyLevel.TOWNSHIP] * 10
)

# The demo grid (网格) of the demo station, its posts (岗位) and which of the station's first
# deputies (by index) hold each: one post is left short and one empty, so the coverage page has
# something to show. (grid name, township, [(post name, duty kind, needed, duty, deputies)])
DEMO_GRID = (
    "桃花岭社区网格",
    "430104002000",
    [
        ("政策宣传岗", "publicity", 2, "入户宣讲惠民政策，收集群众意见。", [0, 1]),
        ("矛盾纠纷调处岗", "mediation", 2, "参与邻里纠纷调解，每月至少一次。", [2]),
        ("安全巡查岗", "patrol", 3, "节假日和汛期巡查小区消防通道与护坡。", [3, 4, 0]),
        ("养老服务岗", "elderly_care", 1, "走访独居老人，督促助餐点落实。", []),
    ],
)
DEMO_GRID_START = datetime.date(2025, 3, 1)

# Duty activities at the home station: (days from today, kind, title, place, how far it got).
# Past ones are recorded through the services; "verified" ones count on the pages.
DEMO_ACTIVITIES = [
    (-40, "research", "社区居家养老服务需求调研", "岳麓街道社区服务中心", "verified"),
    (-25, "training", "代表履职能力专题培训（代表法学习）", "岳麓区人大常委会会议室", "verified"),
    (-12, "patrol", "汛期前河堤安全巡查", "岳麓街道沿江风光带", "submitted"),
    (-3, "voter_contact", "走访联系选民（第一选区）", "岳麓街道桃花岭社区", "planned"),
    (6, "inspection", "视察老旧小区改造项目", "岳麓街道阜埠河路老旧小区", "planned"),
]
# The home station's annual work plan: (month, kind, title); published on its public page.
DEMO_WORK_PLAN = [
    (1, "research", "年初走访调研辖区民生需求"),
    (3, "training", "代表履职能力培训"),
    (4, "inspection", "视察老旧小区改造项目"),
    (6, "patrol", "汛期河堤安全巡查"),
    (9, "law_check", "配合开展《湖南省物业管理条例》执法检查"),
    (11, "budget_review", "参与下年度街道预算初审"),
]
