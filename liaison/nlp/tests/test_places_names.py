"""Place names are whole names: masks, verbs, dates and house numbers do not leak into them."""

from __future__ import annotations

import pytest

from liaison.nlp.places import extract_places


def _places(text: str) -> dict[str, str]:
    return {p.label: p.key for p in extract_places(text) if p.is_specific}


@pytest.mark.parametrize(
    ("text", "label", "key"),
    [
        # a verb phrase before the mask is not part of the name
        ("帮忙追回K3县青石镇柳湾村的补偿款", "K3县青石镇柳湾村", "柳湾村"),
        ("严厉查处C5县大远混凝土有限公司偷排", "C5县大远混凝土有限公司", "大远混凝土有限公司"),
        # a long name keeps its whole mask ("12县…" was a fragment)
        ("B12县土地综合整治项目代理公司涉嫌围标", "B12县土地综合整治项目代理公司", None),
        # dates, house numbers and quantities end before the name
        ("2016年宏泰炉料公司又开始生产", "宏泰炉料公司", "宏泰炉料公司"),
        ("D市D2区芙蓉北路88号翠竹佳苑停车难", "翠竹佳苑", "翠竹佳苑"),
        ("村口有一家洗衣厂排污", "洗衣厂", "洗衣厂"),
        # a town right before the suffix is the name
        ("A7县安沙镇小学收费", "A7县安沙镇小学", "安沙镇小学"),
        # "和" after a mask starts the name; two suffixes in a row are one compound
        ("E2区和乐中央公园小区开办幼儿园", "E2区和乐中央公园小区", "和乐中央公园"),
        # an institution of the place before it
        ("挂靠西地省大学监理公司的资质", "西地省大学监理公司", "西地省大学监理公司"),
    ],
)
def test_place_names_are_whole(text: str, label: str, key: str | None) -> None:
    found = _places(text)
    assert label in found
    if key is not None:
        assert found[label] == key


def test_the_same_compound_with_or_without_its_second_suffix_has_one_key() -> None:
    assert set(_places("和乐中央公园垃圾成堆").values()) == {"和乐中央公园"}
    assert set(_places("E2区和乐中央公园小区垃圾成堆").values()) == {"和乐中央公园"}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("和平路向阳小区停水", {"向阳小区"}),
        ("太和村修路", {"太和村"}),
        ("枫林小区和翠湖花园都停电", {"枫林小区", "翠湖花园"}),
    ],
)
def test_names_starting_or_ending_with_conjunctions_survive(text: str, keys: set[str]) -> None:
    assert set(_places(text).values()) == keys


@pytest.mark.parametrize(
    "text",
    ["几十家公司都欠薪", "望相关监督单位能帮忙考虑小区", "城镇新建住宅小区", "损害小区业主利益"],
)
def test_sentences_and_generic_names_are_not_places(text: str) -> None:
    assert _places(text) == {}


def test_no_place_name_is_a_cut_mask() -> None:
    for text in ("反映B12县土地综合整治项目代理公司涉嫌围标", "K10县第一中学补课"):
        for place in extract_places(text):
            assert not place.label[0].isdigit()
            assert not place.key[0].isdigit()
