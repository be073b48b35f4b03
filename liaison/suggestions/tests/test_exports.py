"""The register read back from the xlsx, the report's Word document (both built by the task worker
as export jobs), the handling table."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from liaison.accounts.models import User
from liaison.audit.models import AuditAction, AuditEvent
from liaison.jobs.models import ExportJob
from liaison.suggestions import jobs
from liaison.suggestions.exports import REGISTER_COLUMNS
from liaison.suggestions.models import Grade, Rating, Status
from liaison.suggestions.stats import handling_table
from liaison.suggestions.tests.factories import invite, seated_deputy, suggestion_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(session: Any, lead_unit: Any, co_unit: Any) -> list[Any]:
    rows = [
        suggestion_in(
            Status.CLOSED,
            session=session,
            lead=lead_unit,
            co=[co_unit],
            grade=Grade.A,
            rating=Rating.SATISFIED,
        ),
        suggestion_in(
            Status.CLOSED,
            session=session,
            lead=lead_unit,
            grade=Grade.B,
            rating=Rating.BASIC,
            answered_late=True,
        ),
        suggestion_in(
            Status.REHANDLING,
            session=session,
            lead=lead_unit,
            grade=Grade.C,
            answered_at=None,
            rated_at=None,
        ),
        suggestion_in(
            Status.ASSIGNED,
            session=session,
            lead=co_unit,
            is_priority=True,
            priority_leader="李主任",
        ),
        suggestion_in(Status.SUBMITTED, session=session),
    ]
    invite(rows[0], seated_deputy(name="附议代表甲"))
    return rows


def test_the_handling_table_counts_per_unit(handled: list[Any], lead_unit: Any) -> None:
    from liaison.suggestions.models import Suggestion

    table = {u.name: u for u in handling_table(Suggestion.objects.all())}
    lead = table[lead_unit.name]
    assert (lead.assigned, lead.answered, lead.on_time) == (3, 2, 1)
    assert (lead.grade_a, lead.grade_b, lead.grade_c) == (1, 1, 1)
    assert lead.satisfaction == 100.0 and lead.on_time_share == 50.0


def test_the_register_reads_back_with_the_official_columns(
    as_user: Any,
    county_staff: User,
    handled: list[Any],
    lead_unit: Any,
    co_unit: Any,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(county_staff)
    # Built by the worker (the immediate task backend in tests), then downloaded.
    with django_assert_max_num_queries(40), django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("suggestions:export_new", args=["register"]), {"session": handled[0].session_id}
        )
    job = ExportJob.objects.get(created_by=county_staff)
    assert asked.url == reverse("jobs:detail", args=[job.pk])
    assert job.kind == jobs.REGISTER and job.region_code == handled[0].session.congress_id
    assert job.status == "done" and job.progress == 100 and job.row_count == 5
    assert job.title == f"代表建议台账（{handled[0].session}）"
    assert job.filename == "代表建议台账.xlsx"
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代表建议台账"
    assert rows[1][0] == str(handled[0].session)
    header = rows[2]
    assert list(header) == [c.header for c in REGISTER_COLUMNS]
    body = rows[3:]
    assert len(body) == 5
    first = dict(zip(header, body[0], strict=True))
    assert first["主办单位"] == lead_unit.name and first["协办单位"] == co_unit.name
    assert first["附议代表"] == "附议代表甲" and first["办理类别"] == "A"
    assert first["代表评价"] == "满意" and first["是否按期"] == "按期"
    notes = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=county_staff)
    assert list(notes.order_by("seq").values_list("note", flat=True)) == [
        f"生成{job.title}（5 行）",
        f"下载{job.title}",
    ]


def test_the_report_page_and_word_document(
    as_user: Any,
    county_staff: User,
    handled: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(county_staff)
    page = client.get(reverse("suggestions:report")).content.decode()
    assert "代表建议办理情况报告" in page and "李主任" in page
    assert page.count('method="post" action="/staff/suggestions/exports/') == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("suggestions:export_new", args=["report"]), {"session": handled[0].session_id}
        )
    job = ExportJob.objects.get(created_by=county_staff, kind=jobs.REPORT)
    assert job.row_count == 5 and job.filename == "代表建议办理情况报告.docx"
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "下载" in detail and '<a href="/staff/suggestions/report/"' in detail
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    word = WordDocument(io.BytesIO(content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "代表建议办理情况报告" in text and "按期答复率 50.0%" in text
    cells = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    assert "岳麓区住建局" in str(cells) and "李主任" in str(cells)
    table_page = client.get(reverse("suggestions:table")).content.decode()
    assert "岳麓区住建局" in table_page


@pytest.mark.parametrize("name", ["table", "report"])
@pytest.mark.parametrize(
    "persona", ["deputy", "lead_clerk", "station_officer", "auditor", "system_admin"]
)
def test_reports_are_for_congress_staff_only(
    request: Any, as_user: Any, session: Any, name: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse(f"suggestions:{name}")).status_code == 403


def test_other_county_staff_have_no_session_here(
    as_user: Any, other_county_staff: User, handled: list[Any]
) -> None:
    assert as_user(other_county_staff).get(reverse("suggestions:report")).status_code == 404


def test_the_queue_offers_the_reports_only_to_staff_with_a_session(
    as_user: Any, session: Any, county_staff: User
) -> None:
    """A street's 人大工委 has no congress session of its own: its queue does not link to the
    handling table and the report, which would answer 404 (found walking the demo)."""
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.regions.models import Region

    street = Region.objects.get(code="430104002000")
    street_staff = make_member(Role.CONGRESS_STAFF, region=street, username="street_staff")
    links = (reverse("suggestions:table"), reverse("suggestions:report"))

    county_page = as_user(county_staff).get(reverse("suggestions:queue")).content.decode()
    assert all(f'href="{link}' in county_page for link in links)

    street_client = as_user(street_staff)
    street_page = street_client.get(reverse("suggestions:queue"))
    assert street_page.status_code == 200
    assert not any(link in street_page.content.decode() for link in links)
    assert all(street_client.get(link).status_code == 404 for link in links)


@pytest.mark.parametrize("name", ["table", "report"])
def test_the_session_select_shows_the_session_the_page_shows(
    as_user: Any, session: Any, county_staff: User, name: str
) -> None:
    """It read "- 请选择 -" while the page showed the latest session (found walking the demo)."""
    import datetime

    from liaison.suggestions.tests.factories import CongressSessionFactory

    older = CongressSessionFactory(
        opens_on=session.opens_on - datetime.timedelta(days=365),
        closes_on=session.closes_on - datetime.timedelta(days=365),
    )
    client = as_user(county_staff)
    latest_page = client.get(reverse(f"suggestions:{name}")).content.decode()
    assert f'<option value="{session.pk}" selected>' in latest_page
    assert "请选择" not in latest_page
    older_page = client.get(reverse(f"suggestions:{name}") + f"?session={older.pk}")
    assert f'<option value="{older.pk}" selected>' in older_page.content.decode()
    assert str(older) in older_page.content.decode()
