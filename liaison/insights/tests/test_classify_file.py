"""The `classify_file` contract, against the shipped model."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from liaison.nlp.classifier import MODEL_PATH, load_classifier

CATEGORIES = {
    "城乡建设",
    "环境保护",
    "交通运输",
    "教育文体",
    "劳动和社会保障",
    "商贸旅游",
    "卫生计生",
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["id", "label", "confidence"]
        return list(reader)


def classify(tmp_path: Path, text: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    source = write(tmp_path / "in.csv", text, encoding)
    target = tmp_path / "out.csv"
    call_command("classify_file", str(source), str(target))
    return read_output(target)


def test_shipped_model_loads() -> None:
    assert MODEL_PATH.is_file()
    classifier = load_classifier()
    assert set(classifier.classes) == CATEGORIES
    assert 0.0 < classifier.threshold < 1.0


def test_rows_come_back_in_order_with_valid_labels(tmp_path: Path) -> None:
    lines = ["id,title,detail"]
    lines += [f"{n},小区{n}号楼电梯故障,电梯经常停运" for n in (9, 3, 7, 1, 100, 2)]
    rows = classify(tmp_path, "\n".join(lines) + "\n")
    assert [row["id"] for row in rows] == ["9", "3", "7", "1", "100", "2"]
    for row in rows:
        assert row["label"] in CATEGORIES
        assert 0.0 <= float(row["confidence"]) <= 1.0


def test_bom_extra_columns_reordered_columns_and_empty_fields(tmp_path: Path) -> None:
    text = (
        "detail,user,id,title,extra\n"
        "学生课业负担过重，学校补课收费,u1,a,,x\n"
        ",u2,b,医院收费不合理,\n"
        ",,c,,\n"
        "只有三列,u4,d\n"
    )
    rows = classify(tmp_path, text, encoding="utf-8-sig")
    assert [row["id"] for row in rows] == ["a", "b", "c", "d"]
    assert rows[0]["label"] == "教育文体"
    assert rows[1]["label"] == "卫生计生"
    assert float(rows[2]["confidence"]) < load_classifier().threshold  # nothing to go on


def test_huge_field_and_non_chinese_text(tmp_path: Path) -> None:
    huge = "小区垃圾堆积无人清理，臭气熏天。" * 3_200  # > 50,000 characters
    text = (
        "id,title,detail\n"
        f'1,垃圾问题,"{huge}"\n'
        "2,Bus route 7 has stopped running,The buses never come on time.\n"
        "3,Ночной шум,Соседи шумят каждую ночь 🙁\n"
        '4,"引号,逗号和\n换行","正文"\n'
    )
    rows = classify(tmp_path, text)
    assert [row["id"] for row in rows] == ["1", "2", "3", "4"]
    assert all(row["label"] in CATEGORIES for row in rows)
    assert rows[0]["label"] in {"城乡建设", "环境保护"}


def test_missing_id_column_fails_without_output(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "title,detail\n标题,正文\n")
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="缺少必需的列：id"):
        call_command("classify_file", str(source), str(target))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind either


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "\u6587\u4ef6\u4e3a\u7a7a"),  # 文件为空
        ("id,title,detail\n1,标题,正文\n".encode("gbk"), "UTF-8"),
    ],
)
def test_unreadable_input_fails_without_output(
    tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=message):
        call_command("classify_file", str(source), str(target))
    assert not target.exists()


def test_bad_utf8_late_in_the_file_leaves_no_partial_output(tmp_path: Path) -> None:
    good = "".join(f"{n},标题{n},正文\n" for n in range(5_000)).encode("utf-8")
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,title,detail\n" + good + "5000,坏行,正文\n".encode("gbk"))
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("classify_file", str(source), str(target))
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_missing_input_file_exits_non_zero(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = subprocess.run(
        [sys.executable, "manage.py", "classify_file", str(tmp_path / "nope.csv"), str(target)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "输入文件不存在" in result.stderr
    assert not target.exists()
