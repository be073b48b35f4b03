"""The category classifier in the case loop: hint at intake, staff feedback, metrics.

- **Intake** (`classification_hint`): the shipped model (`liaison.nlp.classifier`, loaded
  once per process) predicts the first-level category of one case in a few milliseconds. The
  hint is stored on the case (`hinted_category`, `hint_label`,
  `hint_confidence`, `hint_needs_review`, `hint_model`); it lives on the `Case`
  row rather than in a side table so that queue pages can tag "待人工分类" without a join or a
  query per row. Any failure (no model file, a broken file, an unexpected error) is logged and
  the case is taken in without a hint: intake never depends on the classifier.
- **The category stays empty** until a person decides, even for a confident hint: the
  case page shows "系统建议分类：X（把握：高）" with a one-click "采用", so confirming costs one
  click, and every category on a case is a human decision, which keeps the feedback and the
  training data honest (a model trained on its own unchecked guesses only learns its mistakes).
  The outputs do not wait for that click: the monthly report and the ledger count a confident
  hint under its category, marked as 建议 (`categories.counted_category`, decision 0007).
- **Feedback** (`classification_feedback_record`): every staff category decision writes a
  `ClassificationFeedback` row with what had been hinted, so the admin page can show the
  confusion matrix and the accuracy by month (`classification_metrics`), and
  `train_classifier --from-cases` can retrain on the deployment's own confirmed cases.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from liaison.cases.models import Case, ClassificationFeedback, Status
from liaison.taxonomy.models import Category

if TYPE_CHECKING:
    from liaison.accounts.models import User
    from liaison.nlp.classifier import Classifier

logger = logging.getLogger(__name__)

NO_HINT = ""  # predicted_label of a decision on a case that had no hint


@dataclass(frozen=True)
class CategoryHint:
    """What the classifier proposes for one case."""

    label: str  # first-level category name, e.g. "城乡建设"
    confidence: float
    needs_review: bool  # below the model's review threshold: a person must choose
    model_version: str
    category: Category | None  # the national level-1 node of that name, when it exists


def model_version(classifier: Classifier) -> str:
    """A short identifier of a trained model: when it was trained and on how many messages."""
    meta = classifier.meta
    explicit = meta.get("version")
    if explicit:
        return str(explicit)[:64]
    trained = str(meta.get("trained_at", "?"))
    return f"{trained}/{meta.get('n_train', '?')}"[:64]


def level_one_category(*, label: str) -> Category | None:
    """The active national first-level category named `label` (the classifier's vocabulary)."""
    if not label:
        return None
    return Category.objects.filter(region__isnull=True, level=1, path=label, is_active=True).first()


def top_label(category: Category) -> str:
    """The first-level name of any node of the tree ("城乡建设/市政设施" → "城乡建设")."""
    return category.top_name


def classification_hint(*, title: str, content: str) -> CategoryHint | None:
    """The classifier's hint for one case, or None when it cannot give one. Never raises."""
    return classification_hint_many([(title, content)])[0]


def classification_hint_many(texts: Sequence[tuple[str, str]]) -> list[CategoryHint | None]:
    """The hint for each (title, content), or None for all when no model can be used (a
    missing or broken model must never block intake or the worker). Never raises."""
    try:
        from liaison.nlp import classifier as engine

        model = engine.load_classifier()
        predictions = model.predict(list(texts))
        if len(predictions) != len(texts):
            raise ValueError(f"{len(predictions)} predictions for {len(texts)} texts")
        version = model_version(model)
    except Exception:
        logger.warning("category hints unavailable; cases left without one", exc_info=True)
        return [None] * len(texts)
    categories: dict[str, Category | None] = {}
    result: list[CategoryHint | None] = []
    for prediction in predictions:
        label = str(prediction.label)[:50]
        if label not in categories:
            categories[label] = level_one_category(label=label)
        result.append(
            CategoryHint(
                label=label,
                confidence=float(prediction.confidence),
                needs_review=bool(prediction.needs_review),
                model_version=version,
                category=categories[label],
            )
        )
    return result


def hint_fields(hint: CategoryHint | None) -> dict[str, Any]:
    """The `Case` fields that store a hint (empty values for none)."""
    if hint is None:
        return {
            "hinted_category": None,
            "hint_label": "",
            "hint_confidence": None,
            "hint_needs_review": False,
            "hint_model": "",
        }
    return {
        "hinted_category": hint.category,
        "hint_label": hint.label,
        "hint_confidence": round(hint.confidence, 4),
        "hint_needs_review": hint.needs_review,
        "hint_model": hint.model_version,
    }


def classification_feedback_record(
    *, case: Case, actor: User, category: Category, at: datetime | None = None
) -> ClassificationFeedback:
    """Record a staff category decision next to the case's hint (inside the caller's
    transaction; the caller has checked the actor may categorize the case)."""
    return ClassificationFeedback.objects.create(
        case=case,
        region_id=case.region_id,
        predicted_label=case.hint_label,
        confidence=case.hint_confidence,
        needs_review=case.hint_needs_review,
        model_version=case.hint_model,
        chosen_category=category,
        chosen_label=top_label(category)[:50],
        actor=actor,
        at=at or timezone.now(),
    )


# --- selectors: metrics ----------------------------------------------------------------------


def latest_feedback(feedback: QuerySet[ClassificationFeedback]) -> QuerySet[ClassificationFeedback]:
    """The latest decision of each case within `feedback` (a later correction replaces it)."""
    last_ids = feedback.order_by().values("case_id").annotate(last=Max("id")).values("last")
    return ClassificationFeedback.objects.filter(id__in=last_ids)


@dataclass(frozen=True)
class ClassMetrics:
    label: str
    predicted: int  # row total: cases the model gave this label
    actual: int  # column total: cases staff put in this class
    correct: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class MonthAccuracy:
    month: date
    total: int  # decisions on cases that had a hint
    correct: int
    confident: int  # of which the hint was confident (not needs_review)
    confident_correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def confident_accuracy(self) -> float | None:
        return self.confident_correct / self.confident if self.confident else None


@dataclass(frozen=True)
class ClassificationMetrics:
    """Confusion matrix (predicted × chosen first-level label) and accuracy by month."""

    labels: list[str]  # columns (chosen) and rows (predicted), known labels first
    rows: list[tuple[str, list[int], int]]  # (predicted label or "", counts per column, total)
    per_class: list[ClassMetrics]
    months: list[MonthAccuracy]
    decisions: int  # latest decisions in the selection
    with_hint: int
    correct: int
    confident: int
    confident_correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.with_hint if self.with_hint else None

    @property
    def confident_accuracy(self) -> float | None:
        return self.confident_correct / self.confident if self.confident else None

    @property
    def review_share(self) -> float | None:
        if not self.with_hint:
            return None
        return (self.with_hint - self.confident) / self.with_hint


def _ordered_labels(seen: set[str]) -> list[str]:
    """Known first-level names in the national tree's order, then any others alphabetically."""
    national = list(
        Category.objects.filter(region__isnull=True, level=1)
        .order_by("path")
        .values_list("name", flat=True)
    )
    known = [name for name in national if name in seen]
    return known + sorted(seen - set(known))


def classification_metrics(
    *, feedback: QuerySet[ClassificationFeedback] | None = None
) -> ClassificationMetrics:
    """Metrics over the latest decision of each case in `feedback` (default: all), computed
    with grouped aggregate queries (no loop over the rows)."""
    base = feedback if feedback is not None else ClassificationFeedback.objects.all()
    latest = latest_feedback(base)
    agrees = Q(predicted_label=F("chosen_label"))
    confident = Q(needs_review=False)
    cells: Sequence[Mapping[str, Any]] = list(
        latest.order_by()
        .values("predicted_label", "chosen_label")
        .annotate(n=Count("id"))
        .order_by("predicted_label", "chosen_label")
    )
    seen = {c["chosen_label"] for c in cells} | {
        c["predicted_label"] for c in cells if c["predicted_label"] != NO_HINT
    }
    labels = _ordered_labels(seen)
    column = {label: i for i, label in enumerate(labels)}
    matrix: dict[str, list[int]] = {label: [0] * len(labels) for label in labels}
    for cell in cells:  # one entry per (predicted, chosen) pair, at most (k+1) × k
        row = matrix.setdefault(cell["predicted_label"], [0] * len(labels))
        row[column[cell["chosen_label"]]] += cell["n"]
    row_keys = labels + ([NO_HINT] if NO_HINT in matrix else [])
    rows = [(key, matrix[key], sum(matrix[key])) for key in row_keys]
    per_class = []
    for label in labels:
        i = column[label]
        predicted = sum(matrix[label])
        actual = sum(matrix[key][i] for key in row_keys)
        correct = matrix[label][i]
        per_class.append(
            ClassMetrics(
                label=label,
                predicted=predicted,
                actual=actual,
                correct=correct,
                precision=correct / predicted if predicted else None,
                recall=correct / actual if actual else None,
            )
        )
    hinted = latest.exclude(predicted_label=NO_HINT)
    months = [
        MonthAccuracy(
            month=timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime)
            else row["month"],
            total=row["total"],
            correct=row["correct"],
            confident=row["confident"],
            confident_correct=row["confident_correct"],
        )
        for row in hinted.annotate(month=TruncMonth("at"))
        .order_by()
        .values("month")
        .annotate(
            total=Count("id"),
            correct=Count("id", filter=agrees),
            confident=Count("id", filter=confident),
            confident_correct=Count("id", filter=agrees & confident),
        )
        .order_by("month")
    ]
    totals = hinted.aggregate(
        total=Count("id"),
        correct=Count("id", filter=agrees),
        confident=Count("id", filter=confident),
        confident_correct=Count("id", filter=agrees & confident),
    )
    return ClassificationMetrics(
        labels=labels,
        rows=rows,
        per_class=per_class,
        months=months,
        decisions=sum(total for _key, _counts, total in rows),
        with_hint=totals["total"],
        correct=totals["correct"],
        confident=totals["confident"],
        confident_correct=totals["confident_correct"],
    )


# --- selectors: training data ----------------------------------------------------------------


def training_rows_from_cases() -> list[tuple[str, str, str]]:
    """(title, content, first-level label) of every case a person has categorized.

    The category on a case is always a person's decision (the classifier only hints at), so every
    categorized case counts as confirmed. Merged duplicates are left out: their primary is there.
    """
    rows = (
        Case.objects.filter(category__isnull=False)
        .exclude(status=Status.MERGED)
        .order_by("id")
        .values_list("title", "content", "category__path")
    )
    return [(title, content, path.split("/", 1)[0]) for title, content, path in rows.iterator()]
