"""Training: a round trip on a tiny set, broken files, and a sanity accuracy check on real data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from liaison.nlp.classifier import Classifier, ClassifierError, train
from liaison.nlp.grouping import near_duplicate_groups

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
