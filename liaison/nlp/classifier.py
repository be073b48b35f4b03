"""First-level category classifier for citizens' messages (title + detail → one of the categories).

Model: two character 1–3-gram TF-IDF views (the title alone, weighted ``TITLE_WEIGHT``, and the
title plus the detail), a multi-class linear SVM plus a one-vs-rest NB-SVM whose scores are summed
(folded into one weight matrix), and a softmax over the scores whose temperature is fitted on
out-of-fold scores so ``confidence`` behaves like a probability. Predictions whose
confidence is below ``REVIEW_THRESHOLD`` are flagged ``needs_review`` and left for a person.
See docs/insights-classifier.md for the protocol and the measured figures.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .calibration import fit_temperature, softmax
from .features import NgramSpace
from .text import prepare

MODEL_PATH = Path(__file__).resolve().parent / "model" / "classifier.npz"
FORMAT_VERSION = 1

#: Below this confidence a prediction is only a suggestion and the case goes to a person.
#: Chosen on out-of-fold predictions of the tuning split (see docs/insights-classifier.md): about
#: 90 % of messages clear it and about 95 % of those are right; the rest go to a person.
REVIEW_THRESHOLD = 0.7

TITLE_WEIGHT = 0.5
SVM_C = 1.0  # multi-class linear SVM …
NB_SVM_C = 0.5  # … plus a one-vs-rest NB-SVM; their scores are summed (see `_fit_linear`)
NB_ALPHA = 1.0  # smoothing of the NB-SVM log-count ratios
SVM_MAX_ITER = 5_000  # headroom only: liblinear stops as soon as it converges
MIN_DF = 2  # n-grams seen in fewer documents are dropped …
MIN_DF_BELOW = 500  # … unless there are fewer training messages than this (then MIN_DF = 1)
MIN_CALIBRATION_PER_CLASS = 10  # fewer → no temperature fit (T = 1, most cases go to review)
MAX_FEATURES_BODY = 300_000
MAX_FEATURES_TITLE = 60_000
CALIBRATION_FOLDS = 3
BATCH_SIZE = 1_000  # rows per feature matrix: bounds memory, no loss of speed


class ClassifierError(Exception):
    """A model could not be trained or loaded (the message is meant for people)."""


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    needs_review: bool


@dataclass
class Classifier:
    title_space: NgramSpace
    body_space: NgramSpace
    weights: np.ndarray  # (n_title_features + n_body_features, n_classes), float32
    bias: np.ndarray  # (n_classes,)
    classes: list[str]
    temperature: float = 1.0
    threshold: float = REVIEW_THRESHOLD
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, texts: Sequence[tuple[object, object]]) -> np.ndarray:
        """Raw linear scores, one row per (title, detail)."""
        return _linear_scores(self.title_space, self.body_space, self.weights, self.bias, texts)

    def predict_proba(self, texts: Sequence[tuple[object, object]]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.classes)), dtype=np.float64)
        for start in range(0, len(texts), BATCH_SIZE):
            chunk = texts[start : start + BATCH_SIZE]
            out[start : start + len(chunk)] = softmax(self.scores(chunk), self.temperature)
        return out

    def predict(self, texts: Sequence[tuple[object, object]]) -> list[Prediction]:
        if not texts:
            return []
        proba = self.predict_proba(texts)
        best = proba.argmax(axis=1)
        return [
            Prediction(
                label=self.classes[index],
                confidence=float(proba[row, index]),
                needs_review=bool(proba[row, index] < self.threshold),
            )
            for row, index in enumerate(best)
        ]

    def save(self, path: Path | str) -> Path:
        """Write the model atomically (temp file, then rename) and return the path.

        The file is a compressed NumPy archive of plain arrays plus a JSON header, so loading it
        never unpickles anything.
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "format": FORMAT_VERSION,
            "classes": list(self.classes),
            "temperature": float(self.temperature),
            "threshold": float(self.threshold),
            "ngrams": {
                "title": [self.title_space.n_min, self.title_space.n_max],
                "body": [self.body_space.n_min, self.body_space.n_max],
            },
            "meta": self.meta,
        }
        handle, tmp_name = tempfile.mkstemp(prefix=".classifier-", suffix=".npz", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez_compressed(
                    out,
                    header=np.array(json.dumps(header, ensure_ascii=False)),
                    title_keys=self.title_space.keys,
                    title_idf=self.title_space.idf,
                    body_keys=self.body_space.keys,
                    body_idf=self.body_space.idf,
                    weights=self.weights.astype(np.float16),
                    bias=self.bias.astype(np.float32),
                )
            os.chmod(tmp_name, 0o644)  # mkstemp makes it owner-only
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: Path | str) -> Classifier:
        """Load a model file written by :meth:`save`."""
        source = Path(path)
        if not source.is_file():
            raise ClassifierError(
                f"找不到分类模型文件：{source}。请先运行 `python manage.py train_classifier`。"
            )
        try:
            with np.load(source, allow_pickle=False) as archive:
                header = json.loads(str(archive["header"]))
                if header.get("format") != FORMAT_VERSION:
                    raise ClassifierError(f"分类模型文件格式不符：{source}。请重新训练。")
                title_n, body_n = header["ngrams"]["title"], header["ngrams"]["body"]
                return cls(
                    title_space=NgramSpace(
                        title_n[0], title_n[1], archive["title_keys"], archive["title_idf"]
                    ),
                    body_space=NgramSpace(
                        body_n[0], body_n[1], archive["body_keys"], archive["body_idf"]
                    ),
                    weights=archive["weights"].astype(np.float32),
                    bias=archive["bias"].astype(np.float32),
                    classes=[str(name) for name in header["classes"]],
                    temperature=float(header["temperature"]),
                    threshold=float(header["threshold"]),
                    meta=dict(header.get("meta", {})),
                )
        except ClassifierError:
            raise
        except Exception as exc:
            raise ClassifierError(f"分类模型文件无法读取：{source}（{exc}）") from exc


@functools.cache
def _load_cached(path: str) -> Classifier:
    return Classifier.load(path)


def load_classifier(path: Path | str | None = None) -> Classifier:
    """The shipped (or given) model, loaded once per process."""
    return _load_cached(str(Path(path) if path is not None else MODEL_PATH))


def _linear_scores(
    title_space: NgramSpace,
    body_space: NgramSpace,
    weights: np.ndarray,
    bias: np.ndarray,
    texts: Sequence[tuple[object, object]],
) -> np.ndarray:
    features = _features(title_space, body_space, [prepare(t, d) for t, d in texts])
    scores: np.ndarray = np.asarray(features @ weights) + bias
    return scores


def _features(
    title_space: NgramSpace, body_space: NgramSpace, prepared: Sequence[tuple[str, str]]
) -> sparse.csr_matrix:
    titles = title_space.transform([head for head, _body in prepared]) * TITLE_WEIGHT
    bodies = body_space.transform([body for _head, body in prepared])
    return sparse.hstack([titles, bodies], format="csr", dtype=np.float32)


def _fit_linear(
    prepared: Sequence[tuple[str, str]], labels: Sequence[str], classes: list[str]
) -> tuple[NgramSpace, NgramSpace, np.ndarray, np.ndarray]:
    """Fit the vocabularies and the summed weights of the two linear models (see `_nb_svm`)."""
    from sklearn.svm import LinearSVC

    min_df = MIN_DF if len(prepared) >= MIN_DF_BELOW else 1
    title_space, body_space = NgramSpace(), NgramSpace()
    title_space.fit((h for h, _b in prepared), min_df, MAX_FEATURES_TITLE)
    body_space.fit((b for _h, b in prepared), min_df, MAX_FEATURES_BODY)
    features = _features(title_space, body_space, prepared)
    y = np.array([classes.index(label) for label in labels])
    model = LinearSVC(C=SVM_C, random_state=0, max_iter=SVM_MAX_ITER)
    model.fit(features, y)
    coef = np.asarray(model.coef_, dtype=np.float32)
    intercept = np.asarray(model.intercept_, dtype=np.float32)
    if len(classes) == 2:  # binary LinearSVC gives one score for the second class
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.array([-intercept[0], intercept[0]], dtype=np.float32) / 2
    nb_coef, nb_intercept = _nb_svm(features, y, len(classes))
    # Both models are linear in the same features, so their summed scores are one linear model:
    # the ensemble costs nothing at prediction time and the file format stays the same.
    # float16 is how the weights are stored; train with the same rounding to predict identically.
    weights = (coef + nb_coef).T.astype(np.float16).astype(np.float32)
    return title_space, body_space, weights, intercept + nb_intercept


def _nb_svm(
    features: sparse.csr_matrix, y: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest NB-SVM (Wang & Manning 2012): each class's SVM sees the features scaled by their
    naive-Bayes log-count ratio, so n-grams typical of the class start out louder.

    Its scores, X·(r ⊙ w) + b, are linear in X, so it returns the folded (r ⊙ w) per class.
    """
    from sklearn.svm import LinearSVC

    present = features.copy()
    present.data[:] = 1.0  # document frequencies, not TF-IDF mass (measured: much better)
    coef = np.zeros((n_classes, features.shape[1]), dtype=np.float32)
    intercept = np.zeros(n_classes, dtype=np.float32)
    for k in range(n_classes):
        inside = y == k
        p = NB_ALPHA + np.asarray(present[inside].sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(present[~inside].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        model = LinearSVC(C=NB_SVM_C, random_state=0, max_iter=SVM_MAX_ITER)
        model.fit(features.multiply(ratio).tocsr(), inside.astype(np.int64))
        coef[k] = np.asarray(model.coef_, dtype=np.float32).ravel() * ratio
        intercept[k] = float(model.intercept_[0])
    return coef, intercept


def train(
    rows: Iterable[tuple[object, object, object]],
    *,
    calibrate: bool = True,
    threshold: float = REVIEW_THRESHOLD,
) -> Classifier:
    """Train on (title, detail, label) rows.

    Rows without a label, or with neither title nor detail, are skipped.
    """
    prepared: list[tuple[str, str]] = []
    labels: list[str] = []
    for title, detail, label in rows:
        name = str(label or "").strip()
        head, body = prepare(title, detail)
        if name and body:
            prepared.append((head, body))
            labels.append(name)
    counts = Counter(labels)
    if len(counts) < 2:
        raise ClassifierError("训练数据至少需要两个类别（每行须有标题或正文以及类别）。")
    classes = sorted(counts)
    title_space, body_space, weights, bias = _fit_linear(prepared, labels, classes)
    temperature = 1.0
    if calibrate and min(counts.values()) >= MIN_CALIBRATION_PER_CLASS:
        temperature = _calibrate(prepared, labels, classes)
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_train": len(labels),
        "class_counts": dict(sorted(counts.items())),
        "features": {"title": title_space.size, "body": body_space.size},
    }
    return Classifier(title_space, body_space, weights, bias, classes, temperature, threshold, meta)


def _calibrate(prepared: list[tuple[str, str]], labels: list[str], classes: list[str]) -> float:
    """Temperature of the softmax, fitted on out-of-fold scores from the training rows."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array([classes.index(label) for label in labels])
    oof = np.zeros((len(labels), len(classes)), dtype=np.float64)
    folds = StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=0)
    for fit_idx, held_idx in folds.split(np.zeros(len(y)), y):
        spaces_and_weights = _fit_linear(
            [prepared[i] for i in fit_idx], [labels[i] for i in fit_idx], classes
        )
        held = [prepared[i] for i in held_idx]
        title_space, body_space, weights, bias = spaces_and_weights
        oof[held_idx] = np.asarray(_features(title_space, body_space, held) @ weights) + bias
    return fit_temperature(oof, y)
