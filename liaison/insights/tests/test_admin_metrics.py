"""The classifier admin page: confusion matrix, accuracy by month, for system admins only."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from liaison.cases.classification import classification_metrics
from liaison.cases.models import ClassificationFeedback
from liaison.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:cases_classificationfeedback_changelist")
SHANGHAI = ZoneInfo("Asia/Shanghai")
YUELU_STREET = "430104002000"
XINGSHA_STREET = "430121001000"  # 长沙县


def at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def feedback(system_admin: Any) -> None:
    """Crafted decisions: (predicted, chosen, needs_review, month, region).

    March: 3 agree of 4 (one low-confidence miss). April: 卫生计生 agrees, one case has no
    hint, one 长沙县 miss, and one case decided twice whose latest decision agrees.
    """
    rows = [
        ("城乡建设", "城乡建设", False, at(2026, 3), YUELU_STREET),
        ("城乡建设", "城乡建设", False, at(2026, 3), YUELU_STREET),
        ("教育文体", "教育文体", False, at(2026, 3), YUELU_STREET),
        ("商贸旅游", "城乡建设", True, at(2026, 3), YUELU_STREET),
        ("卫生计生", "卫生计生", False, at(2026, 4), YUELU_STREET),
        ("", "教育文体", False, at(2026, 4), YUELU_STREET),
        ("环境保护", "城乡建设", False, at(2026, 4, 30), XINGSHA_STREET),  # 长沙县, a miss
    ]
    for predicted, chosen, review, when, region in rows:
        case = CaseFactory(region_id=region)
        ClassificationFeedback.objects.create(
            case=case,
            region_id=region,
            predicted_label=predicted,
            confidence=0.5 if review else 0.9 if predicted else None,
            needs_review=review,
            model_version="m1",
            chosen_label=chosen,
            actor=system_admin,
            at=when,
        )
    # Decided twice: first wrongly (教育文体), then corrected to 交通运输 — the model said 交通运输.
    case = CaseFactory(region_id=YUELU_STREET)
    for chosen, when in (("教育文体", at(2026, 4, 1)), ("交通运输", at(2026, 4, 2))):
        ClassificationFeedback.objects.create(
            case=case,
            region_id=YUELU_STREET,
            predicted_label="交通运输",
            confidence=0.8,
            model_version="m1",
            chosen_label=chosen,
            actor=system_admin,
            at=when,
        )


def cell(metrics: Any, predicted: str, chosen: str) -> int:
    counts = {label: row for label, row, _total in metrics.rows}[predicted]
    return counts[metrics.labels.index(chosen)]


def test_confusion_matrix_counts_and_per_class_precision_recall(feedback: None) -> None:
    metrics = classification_metrics()
    assert metrics.decisions == 8  # 9 rows, one case decided twice
    assert metrics.with_hint == 7
    assert metrics.correct == 5
    assert metrics.accuracy == pytest.approx(5 / 7)
    assert metrics.confident == 6
    assert metrics.confident_correct == 5
    assert cell(metrics, "城乡建设", "城乡建设") == 2
    assert cell(metrics, "商贸旅游", "城乡建设") == 1
    assert cell(metrics, "环境保护", "城乡建设") == 1
    assert cell(metrics, "交通运输", "交通运输") == 1
    assert cell(metrics, "交通运输", "教育文体") == 0  # the superseded decision
    assert cell(metrics, "", "教育文体") == 1  # a decision without a hint
    per_class = {c.label: c for c in metrics.per_class}
    town = per_class["城乡建设"]
    assert (town.predicted, town.actual, town.correct) == (2, 4, 2)
    assert town.precision == 1.0
    assert town.recall == 0.5
    assert per_class["商贸旅游"].precision == 0.0
    assert per_class["商贸旅游"].recall is None
    assert per_class["教育文体"].recall == 0.5  # 1 of 2 (the other had no hint)


def test_accuracy_by_month(feedback: None) -> None:
    months = classification_metrics().months
    assert [m.month for m in months] == [datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)]
    march, april = months
    assert (march.total, march.correct, march.accuracy) == (4, 3, 0.75)
    assert (march.confident, march.confident_correct) == (3, 3)
    # 卫生计生 ✓, 交通运输 ✓ (its latest decision), 环境保护 ✗; the unhinted one is left out.
    assert (april.total, april.correct) == (3, 2)
    assert april.accuracy == pytest.approx(2 / 3)


def test_admin_page_shows_the_metrics_for_a_system_admin(
    feedback: None, as_user: Any, platform_admin: Any
) -> None:
    response = as_user(platform_admin).get(URL)
    assert response.status_code == 200
    metrics = response.context["metrics"]
    assert metrics.decisions == 8
    assert cell(metrics, "城乡建设", "城乡建设") == 2
    page = response.content.decode()
    assert "混淆矩阵" in page
    assert "准确率按月变化" in page
    assert "2026-03" in page
    assert 'id="clf-accuracy">0.714<' in page


def test_admin_metrics_follow_the_region_filter(
    feedback: None, as_user: Any, platform_admin: Any
) -> None:
    client = as_user(platform_admin)
    county = client.get(URL, {"region": "430121000000"}).context["metrics"]
    assert county.decisions == 1
    assert cell(county, "环境保护", "城乡建设") == 1
    yuelu = client.get(URL, {"region": "430104000000"}).context["metrics"]
    assert yuelu.decisions == 7
    assert yuelu.correct == 5
    province = client.get(URL, {"region": "430000000000"}).context["metrics"]
    assert province.decisions == 8
    page = client.get(URL).content.decode()
    # offered as filter choices
    assert "长沙县" in page
    assert "岳麓区" in page


def test_county_admin_sees_only_the_county_rows_and_choices(
    feedback: None, as_user: Any, system_admin: Any
) -> None:
    client = as_user(system_admin)  # 岳麓区
    response = client.get(URL)
    assert response.context["metrics"].decisions == 7
    assert "长沙县" not in response.content.decode()  # neither a row nor a filter choice
    assert client.get(URL, {"region": "430121000000"}).context["metrics"].decisions == 0
    other = ClassificationFeedback.objects.get(region_id=XINGSHA_STREET)
    change = reverse("admin:cases_classificationfeedback_change", args=[other.pk])
    assert client.get(change).status_code == 404


def test_admin_metrics_follow_the_month_filter(
    feedback: None, as_user: Any, system_admin: Any
) -> None:
    march = as_user(system_admin).get(URL, {"at__year": 2026, "at__month": 3}).context["metrics"]
    assert march.decisions == 4
    assert [m.month.month for m in march.months] == [3]


def test_metrics_are_grouped_queries(feedback: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(4):
        classification_metrics()


def test_admin_page_is_for_system_admins_only(
    feedback: None,
    as_user: Any,
    client: Any,
    county_staff: Any,
    auditor: Any,
    security_admin: Any,
    station_officer: Any,
) -> None:
    assert client.get(URL).status_code == 302
    for user in (county_staff, auditor, security_admin, station_officer):
        response = as_user(user).get(URL)
        assert response.status_code in (302, 403), user.username
        assert b"clf-confusion" not in response.content


def test_feedback_rows_are_read_only(feedback: None, as_user: Any, system_admin: Any) -> None:
    client = as_user(system_admin)
    row = ClassificationFeedback.objects.filter(region_id=YUELU_STREET).first()
    assert row is not None
    assert client.get(reverse("admin:cases_classificationfeedback_add")).status_code == 403
    delete = reverse("admin:cases_classificationfeedback_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ClassificationFeedback.objects.filter(pk=row.pk).exists()


def test_empty_page_says_there_is_nothing_yet(as_user: Any, system_admin: Any) -> None:
    page = as_user(system_admin).get(URL).content.decode()
    assert "还没有人工分类记录" in page
