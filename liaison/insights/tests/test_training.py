"""The `train_classifier` command on a tiny CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.nlp.classifier import Classifier

TINY = (
    "title,detail,label,other\n"
    "学校补课收费,学生课业负担重,教育文体,x\n"
    "教师工资拖欠,乡村教师工资长期拖欠,教育文体,\n"
    "幼儿园收费过高,,教育文体,\n"
    "医院挂号难,看病排队时间长,卫生计生,\n"
    "疫苗接种咨询,孩子疫苗接种时间,卫生计生,\n"
    ",卫生院医生态度差,卫生计生,\n"
    ",,卫生计生,\n"
)


def test_train_classifier_command_on_a_tiny_csv(tmp_path: Path) -> None:
    data = tmp_path / "tiny.csv"
    data.write_text("\ufeff" + TINY, encoding="utf-8")
    output = tmp_path / "models" / "tiny.npz"
    call_command("train_classifier", "--data", str(data), "--output", str(output))
    model = Classifier.load(output)
    assert model.classes == ["卫生计生", "教育文体"]
    assert model.meta["n_train"] == 6  # the row with neither title nor detail is skipped
    [school, hospital] = model.predict([("学校补课", ""), ("", "医院看病排队")])
    assert school.label == "教育文体"
    assert hospital.label == "卫生计生"


def test_train_classifier_rejects_bad_data(tmp_path: Path) -> None:
    data = tmp_path / "one_class.csv"
    data.write_text("title,detail,label\n学校,补课,教育文体\n", encoding="utf-8")
    with pytest.raises(CommandError, match="至少需要两个类别"):
        call_command("train_classifier", "--data", str(data), "--output", str(tmp_path / "m.npz"))
    data.write_text("title,detail\n学校,补课\n", encoding="utf-8")
    with pytest.raises(CommandError, match="label"):
        call_command("train_classifier", "--data", str(data), "--output", str(tmp_path / "m.npz"))
    assert not (tmp_path / "m.npz").exists()
