"""The classifier in the case loop: intake hint, triage, feedback, retraining from cases."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from liaison.cases import services
from liaison.cases.classification import classification_hint, training_rows_from_cases
from liaison.cases.models import Case, Channel, ClassificationFeedback, Kind, Status
from liaison.cases.services.category_hints import (
    case_category_hints_fill,
    case_category_hints_fill_all,
)
from liaison.cases.tests.factories import CaseFactory, case_in
from liaison.nlp.classifier import Classifier, load_classifier
from liaison.taxonomy.models import Category

pytestmark = pytest.mark.django_db

LABELS = ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生"]
SCHOOL = ("学校乱收补课费", "某中学强制学生参加假期补课，每人收取补课费两千元，家长负担很重。")


@pytest.fixture
def tree() -> dict[str, Category]:
    """The national first-level categories (the classifier's labels) and one second level."""
    nodes = {name: Category.objects.create(name=name, level=1, path=name) for name in LABELS}
    nodes["市政设施"] = Category.objects.create(
        name="市政设施", level=2, path="城乡建设/市政设施", parent=nodes["城乡建设"]
    )
    return nodes


def submit(*, sweep: bool = True, **overrides: Any) -> Case:
    """Take a case in, then run the worker's hint sweep (unless `sweep=False`)."""
    values: dict[str, Any] = {
        "kind": Kind.SUGGESTION,
        "title": SCHOOL[0],
        "content": SCHOOL[1],
        "channel": Channel.QR,
        "consent": True,
    }
    values.update(overrides)
    case = services.case_submit(**values).case
    if sweep:
        case_category_hints_fill_all()
        case.refresh_from_db()
    return case


# --- intake ------------------------------------------------------------------------------------


def test_intake_leaves_the_suggestion_to_the_worker(
    station: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station, sweep=False)
    case.refresh_from_db()
    assert case.hint_pending
    assert case.hint_label == ""
    assert case_category_hints_fill() == 1
    case.refresh_from_db()
    assert not case.hint_pending
    assert case.hint_label == "教育文体"
    assert case_category_hints_fill() == 0  # nothing left: the sweep is idle


def test_the_sweep_works_in_batches_oldest_first(station: Any, tree: dict[str, Category]) -> None:
    cases = [submit(station=station, sweep=False) for _ in range(3)]
    assert case_category_hints_fill(limit=2) == 2
    pending = Case.objects.filter(hint_pending=True).values_list("pk", flat=True)
    assert list(pending) == [cases[-1].pk]
    assert case_category_hints_fill_all() == 1


def test_intake_stores_the_shipped_models_suggestion_and_leaves_category_empty(
    station: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station)
    [expected] = load_classifier().predict([SCHOOL])
    case.refresh_from_db()
    assert case.hint_label == expected.label == "教育文体"
    assert case.hinted_category == tree["教育文体"]
    assert case.hint_confidence == pytest.approx(expected.confidence, abs=1e-4)
    assert case.hint_needs_review is expected.needs_review is False
    assert case.hint_model.startswith(load_classifier().meta["trained_at"])
    assert case.category is None  # a hint is never applied without a person
    assert not ClassificationFeedback.objects.exists()


def test_intake_without_the_category_tree_keeps_the_label(station: Any) -> None:
    case = submit(station=station)
    assert case.hint_label == "教育文体"
    assert case.hinted_category is None


def test_intake_still_works_when_the_classifier_fails(
    station: Any, tree: dict[str, Category], monkeypatch: Any, caplog: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("model file is corrupt")

    monkeypatch.setattr("liaison.nlp.classifier.load_classifier", broken)
    with caplog.at_level(logging.WARNING, logger="liaison.cases.services.category_hints"):
        case = submit(station=station)
    assert case.pk
    assert case.status == Status.SUBMITTED
    assert case.events.count() == 1
    assert case.hint_label == ""
    assert case.hinted_category is None
    assert case.hint_confidence is None
    assert case.hint_model == ""
    assert not case.hint_pending  # not retried for ever
    assert "category hints unavailable" in caplog.text


def test_a_failing_prediction_is_caught_too(monkeypatch: Any) -> None:
    class Broken:
        meta: dict[str, Any] = {}

        def predict(self, texts: Any) -> Any:
            raise ValueError("bad input")

    monkeypatch.setattr("liaison.nlp.classifier.load_classifier", lambda: Broken())
    assert classification_hint(title="路灯", content="路灯坏了") is None


def test_low_confidence_suggestion_is_flagged(station: Any, tree: dict[str, Category]) -> None:
    case = submit(station=station, title="你好", content="请问一下这个事情怎么办")
    [expected] = load_classifier().predict([("你好", "请问一下这个事情怎么办")])
    assert expected.needs_review  # no topic words: the model is unsure
    assert case.hint_needs_review
    assert case.category is None


def test_staff_intake_with_a_category_records_the_decision(
    station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    case = submit(
        station=station,
        channel=Channel.VISIT,
        category=tree["市政设施"],
        actor=station_officer,
        consent=False,
    )
    feedback = ClassificationFeedback.objects.get()
    assert feedback.case == case
    assert feedback.actor == station_officer
    assert (feedback.predicted_label, feedback.chosen_label) == ("教育文体", "城乡建设")
    assert feedback.region_id == case.region_id
    assert not feedback.agrees


# --- triage --------------------------------------------------------------------------------------


def test_case_page_shows_the_suggestion_and_adopt_sets_category_with_feedback(
    as_user: Any, station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station)
    client = as_user(station_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # In words, not a number that reads as a promise (issue 11).
    assert "系统建议分类：教育文体（把握：" in page
    assert "置信度" not in page
    assert "采用" in page
    assert f'name="category" value="{tree["教育文体"].pk}"' in page

    response = client.post(
        reverse("cases:act", args=[case.pk, "category"]), {"category": tree["教育文体"].pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.category == tree["教育文体"]
    feedback = ClassificationFeedback.objects.get(case=case)
    assert feedback.predicted_label == feedback.chosen_label == "教育文体"
    assert feedback.agrees
    assert feedback.actor == station_officer
    assert feedback.chosen_category == tree["教育文体"]
    assert feedback.confidence == pytest.approx(case.hint_confidence)
    assert feedback.model_version == case.hint_model
    # Once adopted, the button is gone.
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "采用系统建议分类" not in page


def test_correction_to_another_category_is_recorded(
    as_user: Any, station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station)
    client = as_user(station_officer)
    client.post(reverse("cases:act", args=[case.pk, "category"]), {"category": tree["市政设施"].pk})
    case.refresh_from_db()
    assert case.category == tree["市政设施"]
    feedback = ClassificationFeedback.objects.get(case=case)
    assert (feedback.predicted_label, feedback.chosen_label) == ("教育文体", "城乡建设")
    assert feedback.chosen_category == tree["市政设施"]
    assert not feedback.agrees


def test_every_decision_is_kept_and_clearing_is_not_a_decision(
    station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station)
    services.case_set_category(case=case, actor=station_officer, category=tree["环境保护"])
    services.case_set_category(case=case, actor=station_officer, category=tree["教育文体"])
    services.case_set_category(case=case, actor=station_officer, category=None)
    chosen = list(
        ClassificationFeedback.objects.order_by("id").values_list("chosen_label", flat=True)
    )
    assert chosen == ["环境保护", "教育文体"]


def test_decision_on_a_case_without_suggestion_is_recorded_as_such(
    station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    case = case_in(Status.ACCEPTED, station=station)  # written directly: no hint
    services.case_set_category(case=case, actor=station_officer, category=tree["交通运输"])
    feedback = ClassificationFeedback.objects.get()
    assert feedback.predicted_label == ""
    assert feedback.confidence is None
    assert feedback.chosen_label == "交通运输"
    assert not feedback.agrees


def test_no_adopt_button_for_those_who_cannot_categorize(
    as_user: Any, station: Any, county_staff: Any, unit_clerk: Any, tree: dict[str, Category]
) -> None:
    case = submit(station=station)
    case.status = Status.ASSIGNED
    case.unit_id = unit_clerk.memberships.get().unit_ref
    case.save()
    page = as_user(unit_clerk).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "系统建议分类：教育文体" in page
    assert "采用系统建议分类" not in page


def test_queue_tags_low_confidence_suggestions(
    as_user: Any, station: Any, station_officer: Any, tree: dict[str, Category]
) -> None:
    unsure = submit(station=station, title="你好", content="请问一下这个事情怎么办")
    sure = submit(station=station)
    assert unsure.hint_needs_review
    assert not sure.hint_needs_review
    page = as_user(station_officer).get(reverse("cases:queue") + "?queue=all").content.decode()
    rows = {
        code: page.split(code, 1)[1].split("</tr>", 1)[0]
        for code in (unsure.tracking_code, sure.tracking_code)
    }
    assert "待人工分类" in rows[unsure.tracking_code]
    assert "待人工分类" not in rows[sure.tracking_code]
    assert "建议：教育文体" in rows[sure.tracking_code]


# --- retraining from the deployment's cases -------------------------------------------------------


def _confirmed_cases(tree: dict[str, Category], per_class: int) -> None:
    texts = {
        "教育文体": ("学校补课收费", "中学假期强制补课收费，学生负担重"),
        "卫生计生": ("医院看病难", "社区卫生院医生少，看病排队时间长"),
        "城乡建设": ("小区路灯不亮", "小区道路路灯坏了，晚上出行不便"),
    }
    for label, (title, detail) in texts.items():
        category = tree["市政设施"] if label == "城乡建设" else tree[label]
        for i in range(per_class):
            CaseFactory(title=f"{title}{i}", content=f"{detail}，第{i}次反映。", category=category)
    CaseFactory(title="没有分类", content="还没有人分类")  # not confirmed: left out
    CaseFactory(
        title="重复件", content="合并的重复件", category=tree["环境保护"], status=Status.MERGED
    )


def test_training_rows_are_confirmed_cases_with_first_level_labels(
    tree: dict[str, Category],
) -> None:
    _confirmed_cases(tree, 2)
    rows = training_rows_from_cases()
    assert len(rows) == 6
    assert {label for _t, _d, label in rows} == {"教育文体", "卫生计生", "城乡建设"}


def test_train_classifier_from_cases_into_a_tmp_path(
    tree: dict[str, Category], tmp_path: Path, capsys: Any
) -> None:
    _confirmed_cases(tree, 12)
    output = tmp_path / "models" / "deployment.npz"
    call_command("train_classifier", "--from-cases", "--min-per-class", "10", "--output", output)
    model = Classifier.load(output)
    assert model.classes == sorted(["城乡建设", "卫生计生", "教育文体"])
    assert model.meta["n_train"] == 36
    assert model.meta["source"] == "cases"
    [school, hospital] = model.predict([("补课收费", "学校"), ("看病", "卫生院排队")])
    assert (school.label, hospital.label) == ("教育文体", "卫生计生")
    assert "已确认分类的案件" in capsys.readouterr().out


def test_train_from_cases_refuses_when_a_class_has_too_few(
    tree: dict[str, Category], tmp_path: Path
) -> None:
    _confirmed_cases(tree, 5)
    output = tmp_path / "m.npz"
    with pytest.raises(CommandError, match="不足 30 件") as refused:
        call_command("train_classifier", "--from-cases", "--output", output)
    assert all(
        f"{label} 5 件" in str(refused.value) for label in ("城乡建设", "卫生计生", "教育文体")
    )
    assert not output.exists()


def test_train_from_cases_refuses_with_one_class_or_none(
    tree: dict[str, Category], tmp_path: Path
) -> None:
    output = tmp_path / "m.npz"
    with pytest.raises(CommandError, match="至少需要两个一级分类"):
        call_command("train_classifier", "--from-cases", "--min-per-class", "1", "--output", output)
    assert not output.exists()


def test_train_from_cases_and_data_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("train_classifier", "--from-cases", "--data", str(tmp_path / "x.csv"))
