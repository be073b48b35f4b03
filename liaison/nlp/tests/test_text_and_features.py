from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from liaison.nlp.calibration import fit_temperature, softmax
from liaison.nlp.features import NgramSpace, key_to_text
from liaison.nlp.grouping import near_duplicate_groups
from liaison.nlp.text import MAX_DETAIL_CHARS, normalize, prepare

DOCS = [
    "小区 门口 垃圾 堆积 无人 清理",
    "学校 食堂 收费 过高",
    "小区 噪音 扰民",
    "",
    "bus route 0 stops running",
    "医院 挂号 难 挂号 难",
]


def test_normalize_folds_width_case_digits_space_and_controls() -> None:
    assert normalize("ＡＢＣ１２３  x\x00y\n\tz", 100) == "abc0 x y z"
    assert normalize(None, 10) == ""
    assert normalize(12345, 10) == "0"
    assert normalize("很长" * 10, 5) == "很长很长很"


def test_prepare_handles_missing_fields_and_huge_detail() -> None:
    assert prepare(None, None) == ("", "")
    assert prepare("", "正文") == ("", "正文")
    head, body = prepare("标题", "长" * 50_000)
    assert head == "标题"
    assert len(body) == len("标题 ") + MAX_DETAIL_CHARS


def test_tfidf_matches_scikit_learn() -> None:
    space = NgramSpace()
    space.fit(DOCS, min_df=1)
    ours = space.transform(DOCS)
    reference = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False
    ).fit(DOCS)
    theirs = reference.transform(DOCS)
    order = [reference.vocabulary_[key_to_text(int(key))] for key in space.keys]
    assert space.size == len(reference.vocabulary_)
    assert np.abs(ours.toarray() - theirs[:, order].toarray()).max() < 1e-5


def test_transform_of_unknown_and_empty_text_is_zero() -> None:
    space = NgramSpace()
    space.fit(DOCS, min_df=1)
    matrix = space.transform(["", "ÆØÅ ☃", "垃圾"])
    assert matrix.shape == (3, space.size)
    assert matrix[0].nnz == 0
    assert matrix[1].nnz == 1  # only the space character is known
    assert abs(float(matrix[2].multiply(matrix[2]).sum()) - 1.0) < 1e-5


def test_min_df_and_max_features_bound_the_vocabulary() -> None:
    space = NgramSpace()
    space.fit(DOCS, min_df=2)
    grams = [key_to_text(int(key)) for key in space.keys]
    assert grams
    assert all(sum(gram in doc for doc in DOCS) >= 2 for gram in grams)
    assert "小区" in grams
    assert "食堂" not in grams
    small = NgramSpace()
    small.fit(DOCS, min_df=1, max_features=5)
    assert small.size == 5


def test_near_duplicate_groups_link_titles_and_detail_prefixes() -> None:
    groups = near_duplicate_groups(
        [
            ("A市某小区物业乱收费问题", "正文一"),
            ("A市某小区物业乱收费问题！", "完全不同的正文内容，共有六十个字符以上吗"),
            ("另一个标题，和前面无关", "完全不同的正文内容，共有六十个字符以上吗"),
            ("咨询", "短"),
            ("咨询", "短"),
        ]
    )
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[4]  # keys shorter than six characters never link


def test_softmax_temperature_is_fitted_to_the_scores() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 600)
    scores = rng.normal(0, 1, (600, 3))
    scores[np.arange(600), y] += 2.0
    temperature = fit_temperature(scores, y)
    proba = softmax(scores, temperature)
    assert np.allclose(proba.sum(axis=1), 1.0)
    # Calibrated: mean confidence close to accuracy.
    accuracy = (proba.argmax(axis=1) == y).mean()
    assert abs(proba.max(axis=1).mean() - accuracy) < 0.05
