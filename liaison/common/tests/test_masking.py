"""The masking of free text: one test per rule with invented sentences, the places that must stay
readable, and the share of real messages (../shared/data/teddy2020) that stays readable."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from liaison.common.masking import (
    mask_free_text,
    mask_home_numbers,
    mask_names,
    mask_numbers,
)
from liaison.common.shared_data import shared_file

# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13912345678请回电", "电话139****5678请回电"),
        ("手机 139-1234-5678", "手机 139-****-5678"),
        ("打139 1234 5678找我", "打139 **** 5678找我"),
        ("号码+86 13912345678", "号码+86 139****5678"),
        ("全角１３９１２３４５６７８", "全角１３９****５６７８"),
    ],
)
def test_mobile_numbers_keep_head_and_tail(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("座机0731-84561234", "座机0731-******34"),
        ("（0731）8456123转", "（0731）*****23转"),
        ("物业电话：8456123", "物业电话：*******"),
        ("联系方式 0746—8222289。", "联系方式 0746—*****89。"),
    ],
)
def test_landlines_keep_the_area_code(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked


def test_id_numbers_new_and_old() -> None:
    assert mask_numbers("身份证43010419900101123X，") == "身份证4301**********123X，"
    assert mask_numbers("老身份证430104900101123。") == "老身份证4301*******1123。"


def test_bank_cards() -> None:
    assert mask_numbers("工资卡6222021234567890123") == "工资卡***************0123"
    assert mask_numbers("卡号6222 0212 3456 7890") == "卡号**** **** **** 7890"


@pytest.mark.parametrize(
    "text",
    [
        "请拨打12345热线或12315投诉",
        "2019年4月18日下午3点",
        "欠薪20000元，共15户",
        "依据湘政发〔2018〕53号文件",
        "订单号2019042512",
    ],
)
def test_other_numbers_stay(text: str) -> None:
    assert mask_free_text(text) == text


# --- names ------------------------------------------------------------------------------------


def test_the_submitters_own_name_is_masked_wherever_it_appears() -> None:
    text = "我是赵子龙，赵子龙家门口积水"
    assert mask_names(text, names=["赵子龙"]) == "我是赵**，赵**家门口积水"


def test_a_one_character_name_is_not_masked_everywhere() -> None:
    assert mask_names("王家的路灯", names=["王"]) == "王家的路灯"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("物业的张先生说", "物业的*先生说"),
        ("楼下李女士反映", "楼下*女士反映"),
        ("保洁刘阿姨和维修陈师傅", "保洁*阿姨和维修*师傅"),
        ("欧阳先生来电", "**先生来电"),
        ("隔壁老王养的狗", "隔壁老*养的狗"),
        ("我叫周晓梅，住在", "我叫周**，住在"),
        ("姓名：孙立，男", "姓名：孙*，男"),
    ],
)
def test_names_in_forms_of_address(text: str, masked: str) -> None:
    assert mask_names(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "养老金迟迟未发",
        "老百姓的老房子",
        "沿用老方法，老毛病",
        "老何家村的道路",
        "维修师傅和保安",
        "感谢老师们",
    ],
)
def test_words_that_look_like_names_stay(text: str) -> None:
    assert mask_names(text) == text


# --- homes and places -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("3栋2单元501室漏水", "*栋*单元***室漏水"),
        ("12号楼的电梯", "**号楼的电梯"),
        ("住5-2-301", "住*-*-***"),
        ("门牌号 18 号", "门牌号 ** 号"),
        ("解放西路188号", "解放西路***号"),
        ("2单元1202住户", "*单元****住户"),
        ("A栋七楼", "*栋*楼"),
        ("602房", "***房"),
        ("桂花村3组", "桂花村*组"),
    ],
)
def test_house_building_unit_and_room_numbers(text: str, masked: str) -> None:
    assert mask_home_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "麓山小区顶楼屋面漏水",
        "望月湖社区的垃圾站",
        "岳麓大道与枫林路交叉口",
        "坡子街、太平街、化龙池巷",
        "桂花村村委会",
        "万达广场东门",
        "三室两厅的房子",
        "地铁3号线、1号文件、4月18号",
        "2019-04-25",
        "房地产开发",
    ],
)
def test_places_and_ordinary_text_stay(text: str) -> None:
    assert mask_free_text(text) == text


def test_a_full_sentence() -> None:
    text = "我叫王小明，电话13800138000，身份证430104199001011234，住枫林路12号麓山小区3栋502室"
    masked = mask_free_text(text, names=["王小明"], phones=["13800138000"])
    assert masked == (
        "我叫王**，电话138****8000，身份证4301**********1234，住枫林路**号麓山小区*栋***室"
    )


def test_masking_keeps_the_length_and_is_idempotent() -> None:
    text = "李女士13800138000反映3栋2单元501室、枫林路12号"
    masked = mask_free_text(text)
    assert len(masked) == len(text)
    assert mask_free_text(masked) == masked


# --- real messages ----------------------------------------------------------------------------

MESSAGES = Path(shared_file("teddy2020", "messages_labeled.csv"))
REPLIES = Path(shared_file("teddy2020", "replies.csv"))
SAMPLE = 1500


def _real_texts() -> list[str]:
    if not MESSAGES.exists() or not REPLIES.exists():
        pytest.skip("the shared data set is not beside the checkout")
    texts: list[str] = []
    for path, columns in ((MESSAGES, ("title", "detail")), (REPLIES, ("title", "detail", "reply"))):
        with path.open(encoding="utf-8") as handle:
            for index, row in enumerate(csv.DictReader(handle)):
                if index % 5 == 0:  # a spread-out sample, the same every run
                    texts.extend(row[c] for c in columns if row.get(c))
    return texts[:SAMPLE]


# What a careful reader would call personal in these messages (the data set already replaced
# most phone and ID numbers by 0s and asterisks): digits of phone-like numbers, names in forms of
# address, and the numbers of a building, unit, room or door.
PERSONAL_RE = re.compile(
    r"0\d{2,3}[\s\-－—]*\d{7,8}|1[3-9]\d{9}|\d{15,19}"
    r"|[\u4e00-\u9fff](?=先生|女士|阿姨|师傅)"
    r"|[\dA-Za-z一二三四五六七八九十]+(?=栋|幢|单元|号楼|室)"
    r"|(?<=[路街巷村])\d+(?=号|组)"
)


def test_real_messages_keep_at_least_90_percent_of_their_other_characters() -> None:
    texts = _real_texts()
    assert len(texts) >= 1000
    kept = other = 0
    per_message: list[float] = []
    for text in texts:
        masked = mask_free_text(text)
        assert len(masked) == len(text)
        personal = {i for m in PERSONAL_RE.finditer(text) for i in range(m.start(), m.end())}
        positions = [i for i in range(len(text)) if i not in personal]
        same = sum(1 for i in positions if masked[i] == text[i])
        kept, other = kept + same, other + len(positions)
        if positions:
            per_message.append(same / len(positions))
    assert kept / other >= 0.99  # the rules leave ordinary text alone
    assert min(per_message) >= 0.90, min(per_message)


def test_real_messages_lose_their_personal_numbers() -> None:
    texts = _real_texts()
    for text in texts:
        masked = mask_free_text(text)
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", masked)
        assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", masked)
        assert not re.search(r"\d+(?=栋\d*单元)", masked)
