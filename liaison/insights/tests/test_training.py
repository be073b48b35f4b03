"""Training: the command on a tiny CSV, and a sanity accuracy check on real data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import f1_score

from liaison.insights.classifier import Classifier, ClassifierError, train
from liaison.insights.grouping import near_duplicate_groups

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


def test_train_takes_any_iterable_and_round_trips(tmp_path: Path) -> None:
    rows = (line.split(",")[:3] for line in TINY.splitlines()[1:])
    model = train((t, d, label) for t, d, label in rows)
    path = model.save(tmp_path / "m.npz")
    loaded = Classifier.load(path)
    texts = [("幼儿园", "收费"), ("", ""), (None, "看病")]
    assert loaded.predict(texts) == model.predict(texts)
    assert model.predict([]) == []


def test_loading_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ClassifierError, match="无法读取"):
        Classifier.load(broken)
    with pytest.raises(ClassifierError, match="train_classifier"):
        Classifier.load(tmp_path / "absent.npz")


def test_sanity_accuracy_on_a_held_out_split(labeled_rows: list[dict[str, str]]) -> None:
    """Train on part of the real data, test on unseen groups; far below the CV figures."""
    groups = near_duplicate_groups([(r["title"], r["detail"]) for r in labeled_rows])
    held_groups = set(random.Random(7).sample(sorted(set(groups)), 800))
    train_rows = [r for r, g in zip(labeled_rows, groups, strict=True) if g not in held_groups]
    test_rows = [r for r, g in zip(labeled_rows, groups, strict=True) if g in held_groups]
    model = train(((r["title"], r["detail"], r["label"]) for r in train_rows[::2]), calibrate=False)
    predictions = model.predict([(r["title"], r["detail"]) for r in test_rows])
    truth = [r["label"] for r in test_rows]
    macro_f1 = f1_score(truth, [p.label for p in predictions], average="macro")
    assert macro_f1 > 0.80
