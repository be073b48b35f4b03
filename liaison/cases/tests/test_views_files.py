"""The case attachment view: scope, headers, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.models import Attachment
from liaison.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def attach(case: Any, *, content: bytes, content_type: str, name: str) -> Attachment:
    attachment = Attachment(
        case=case, purpose=Attachment.Purpose.REPLY, original_name=name,
        content_type=content_type, size=len(content),
    )  # fmt: skip
    attachment.file.save("f" * 32 + ".bin", ContentFile(content))
    return attachment


def test_pdf_reply_is_a_download_with_the_checked_extension(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    case = CaseFactory(station=station)
    pdf = attach(case, content=b"%PDF-1.4", content_type="application/pdf", name="答复.html")
    response = as_user(county_staff).get(reverse("cases:attachment", args=[case.pk, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".pdf" in response["Content-Disposition"]
    assert ".html" not in response["Content-Disposition"]
    row = AuditEvent.objects.get(action=AuditAction.VIEW_PRIVATE)
    assert row.region_code == case.region_id
    assert row.object_id == str(pdf.pk)


def test_old_attachment_with_a_claimed_html_type_is_never_served_as_html(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    """Rows stored before the fix kept the browser's claimed type: it is not trusted."""
    case = CaseFactory(station=station)
    old = attach(case, content=b"<script>1</script>", content_type="text/html", name="x.html")
    response = as_user(county_staff).get(reverse("cases:attachment", args=[case.pk, old.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_other_county_gets_404(station: Any, other_county_staff: Any, as_user: Any) -> None:
    case = CaseFactory(station=station)
    photo = attach(case, content=b"\x89PNG", content_type="image/png", name="a.png")
    url = reverse("cases:attachment", args=[case.pk, photo.pk])
    assert as_user(other_county_staff).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PRIVATE).exists()
