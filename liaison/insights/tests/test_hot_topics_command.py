"""The `hot_topics` command contract."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

COLUMNS = ["rank", "heat", "label", "place", "start", "end", "size", "message_ids"]


def run(tmp_path: Path, text: str, encoding: str = "utf-8", top: int = 10) -> list[dict[str, str]]:
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode(encoding))
    target = tmp_path / "out.csv"
    call_command("hot_topics", str(source), str(target), "--top", str(top))
    with target.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def lines(*rows: str, header: str = "id,title,detail,submitted_at,likes,dislikes") -> str:
    return "\n".join([header, *rows]) + "\n"


def test_ranked_topics_with_dates_and_ids(tmp_path: Path) -> None:
    text = lines(
        "a1,A3区枫林小区夜间施工噪音扰民,枫林小区工地每晚施工噪音扰民,2020-01-02 10:00:00,5,1",
        "a2,枫林小区工地夜间施工噪音扰民,A3区枫林小区工地夜里施工噪音扰民,2020/01/09,x,",
        "a3,枫林小区夜间施工噪音扰民严重,枫林小区工地夜间施工噪音扰民,not a date,3,0",
        "b1,A7县蓓蕾小学违规收取补课费,蓓蕾小学违规收取补课费,2020-01-05,,",
        "b2,蓓蕾小学违规收取补课费,A7县蓓蕾小学违规收取补课费用,2020-01-06,,",
        "c1,B市人民医院停车难,停车位太少,2020-01-07,,",
    )
    rows = run(tmp_path, text, encoding="utf-8-sig")
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert rows[0]["message_ids"] == "a1 a2 a3"
    assert rows[0]["start"] == "2020-01-02"
    assert rows[0]["end"] == "2020-01-09"
    assert rows[0]["size"] == "3"
    assert "枫林小区" in rows[0]["label"]
    assert rows[1]["message_ids"] == "b1 b2"
    assert rows[1]["place"] == "A7县蓓蕾小学"
    assert float(rows[0]["heat"]) >= float(rows[1]["heat"])
    assert len(run(tmp_path, text, top=1)) == 1


def test_empty_fields_huge_text_and_non_chinese(tmp_path: Path) -> None:
    huge = "小区垃圾堆积无人清理，臭气熏天。" * 3_200
    text = lines(
        "1,,",
        f"2,垃圾无人清理,{huge}",
        f"3,垃圾无人清理,{huge}",
        "4,noise at night,loud music",
        "5,noise at night,loud music every night",
        "6",
        header="id,title,detail",
    )
    rows = run(tmp_path, text)
    assert {r["message_ids"] for r in rows} >= {"2 3"}


@pytest.mark.parametrize(
    ("content", "encoding"),
    [("title,detail\n小区,噪音\n", "utf-8"), ("id,title\n1,小区噪音扰民\n", "gbk"), ("", "utf-8")],
)
def test_bad_files_write_nothing(tmp_path: Path, content: str, encoding: str) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content.encode(encoding) if encoding != "gbk" else content.encode("gbk"))
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as error:
        call_command("hot_topics", str(source), str(target))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error.value))
    assert list(tmp_path.iterdir()) == [source]


def test_missing_input_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("hot_topics", str(tmp_path / "nope.csv"), str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()
