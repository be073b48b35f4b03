"""How well the reply-quality score agrees with people's judgement (issue 11, item 10).

A person rated real replies (``evaluation/reply_ratings.csv``: message id and one of good /
acceptable / poor — the texts stay in ../shared/data) for whether the citizen's matter was
answered. The score is cut into the same three bands (``BANDS``: ≥ 80 good, 60–79 acceptable,
< 60 poor — 60 is the default ``reply_quality_low_score``, the old 督办 line), and compared:

- Spearman's ρ between the score and the rating (0 poor, 1 acceptable, 2 good);
- Cohen's κ between band and rating, unweighted and linearly weighted (a good/poor mix-up
  counts twice an adjacent one);
- for the "poor" band, which is what a supervision recommendation would act on: its precision
  (share of replies the score calls poor that the person called poor) and recall.

``RECOMMENDATION_BAR`` is the agreement at which the score may drive a recommendation again
(decision 0007).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import spearmanr

from .reply_quality import ReplyAssessment, ReplyItem

RATINGS_PATH = Path(__file__).resolve().parent / "evaluation" / "reply_ratings.csv"
LEVELS = ("poor", "acceptable", "good")
BANDS = ((80, "good"), (60, "acceptable"), (0, "poor"))
#: Linear-weighted κ and precision of the "poor" band needed before the score may recommend
#: 督办 again, measured on at least `MIN_RATED` replies (decision 0007).
RECOMMENDATION_BAR = {"weighted_kappa": 0.6, "poor_precision": 0.9}
MIN_RATED = 100


class AgreementError(Exception):
    """The ratings or the replies file cannot be used (the message is meant for people)."""


@dataclass(frozen=True)
class Agreement:
    rated: int
    spearman: float
    kappa: float
    weighted_kappa: float
    poor_precision: float | None
    poor_recall: float | None
    confusion: list[list[int]]  # rows: band (poor, acceptable, good); columns: rating

    @property
    def meets_bar(self) -> bool:
        return (
            self.rated >= MIN_RATED
            and self.weighted_kappa >= RECOMMENDATION_BAR["weighted_kappa"]
            and (self.poor_precision or 0.0) >= RECOMMENDATION_BAR["poor_precision"]
        )


def band(score: int) -> str:
    """The rating word a score stands for."""
    return next(name for low, name in BANDS if score >= low)


def read_ratings(path: Path = RATINGS_PATH) -> dict[str, str]:
    """{message id: rating} from the hand-rated file."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ratings = {row["message_id"].strip(): row["rating"].strip() for row in rows}
    unknown = sorted({r for r in ratings.values() if r not in LEVELS})
    if unknown:
        raise AgreementError(f"评分文件含未知等级：{'、'.join(unknown)}")
    return ratings


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def read_replies(replies_path: Path) -> list[ReplyItem]:
    """The replies of the public data file (`replies.csv`) as items to assess, keyed by id."""
    if not replies_path.is_file():
        raise AgreementError(f"找不到答复数据文件：{replies_path}")
    with replies_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        ReplyItem(
            message=row["detail"],
            title=row["title"],
            reply=row["reply"],
            submitted_at=_date(row["submitted_at"]),
            replied_at=_date(row["replied_at"]),
            key=row["id"],
        )
        for row in rows
    ]


def scores_of(assessments: Sequence[ReplyAssessment], ids: set[str]) -> dict[str, int]:
    """The engine's score for the rated replies, out of the assessments of the whole file (each
    reply assessed in the batch of the file, as the documented figures are)."""
    found = {str(a.key): a.score for a in assessments if str(a.key) in ids}
    missing = sorted(ids - set(found))
    if missing:
        raise AgreementError(f"答复数据中找不到这些留言编号：{'、'.join(missing[:10])}")
    return found


def _kappa(confusion: Sequence[Sequence[int]], weighted: bool) -> float:
    k = len(confusion)
    total = sum(map(sum, confusion))
    rows = [sum(r) for r in confusion]
    cols = [sum(confusion[i][j] for i in range(k)) for j in range(k)]

    def weight(i: int, j: int) -> float:
        return abs(i - j) / (k - 1) if weighted else float(i != j)

    observed = sum(weight(i, j) * confusion[i][j] for i in range(k) for j in range(k)) / total
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k)) / total**2
    return 1.0 - observed / expected if expected else 1.0


def agreement(*, scores: dict[str, int], ratings: dict[str, str]) -> Agreement:
    """The agreement figures of the rated replies."""
    ids = sorted(ratings)
    if len(ids) < 2:
        raise AgreementError("至少需要两条人工评分")
    confusion = [[0] * 3 for _ in range(3)]
    for i in ids:
        confusion[LEVELS.index(band(scores[i]))][LEVELS.index(ratings[i])] += 1
    rho = spearmanr([scores[i] for i in ids], [LEVELS.index(ratings[i]) for i in ids]).statistic
    called_poor = sum(confusion[0])
    rated_poor = sum(row[0] for row in confusion)
    return Agreement(
        rated=len(ids),
        spearman=round(float(rho), 3),
        kappa=round(_kappa(confusion, weighted=False), 3),
        weighted_kappa=round(_kappa(confusion, weighted=True), 3),
        poor_precision=round(confusion[0][0] / called_poor, 3) if called_poor else None,
        poor_recall=round(confusion[0][0] / rated_poor, 3) if rated_poor else None,
        confusion=confusion,
    )


START = "<!-- agreement:start -->"
END = "<!-- agreement:end -->"
BAND_LABELS = {"poor": "poor（<60）", "acceptable": "acceptable（60–79）", "good": "good（≥80）"}


def agreement_markdown(result: Agreement, *, command: str, today: datetime.date) -> str:
    """The section written into docs/insights-reply-quality.md."""
    head = "| score band \\ hand rating | poor | acceptable | good |"
    lines = [
        START,
        f"Measured {today.isoformat()} with `{command}` on {result.rated} hand-rated replies.",
        "",
        "| figure | value | bar for a recommendation |",
        "|---|---|---|",
        f"| Spearman ρ (score vs rating) | {result.spearman} | — |",
        f"| Cohen's κ (bands vs ratings) | {result.kappa} | — |",
        f"| linear-weighted κ | {result.weighted_kappa} | "
        f"≥ {RECOMMENDATION_BAR['weighted_kappa']} |",
        f"| precision of the poor band | {_pct(result.poor_precision)} | "
        f"≥ {_pct(RECOMMENDATION_BAR['poor_precision'])} |",
        f"| recall of the poor band | {_pct(result.poor_recall)} | — |",
        f"| replies rated | {result.rated} | ≥ {MIN_RATED} |",
        "",
        head,
        "|---|---|---|---|",
        *(
            f"| {BAND_LABELS[name]} | " + " | ".join(str(n) for n in row) + " |"
            for name, row in zip(LEVELS, result.confusion, strict=True)
        ),
        "",
        "**Bar met: "
        + ("yes" if result.meets_bar else "no — the score stays a hint (decision 0007).")
        + "**",
        END,
    ]
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def write_section(doc: Path, section: str) -> None:
    """Replace the marked section of `doc` (or append it when the markers are missing)."""
    text = doc.read_text(encoding="utf-8") if doc.is_file() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
