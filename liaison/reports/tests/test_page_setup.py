"""The report files print as official documents: A4 with the GB/T 9704 margins, Word and PDF alike
(issue 11: the Word file was US Letter while the PDF was A4)."""

from __future__ import annotations

import datetime
import io
import re
import zlib
from typing import Any

import pytest

from liaison.regions.tests.factories import YUELU, region
from liaison.reports import services
from liaison.reports.models import ReportStatus
from liaison.reports.tests.conftest import MONTH

pytestmark = pytest.mark.django_db

MM_PER_POINT = 25.4 / 72


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(seeded_month: dict[str, Any], county_staff: Any) -> Any:
    built = services.report_request(actor=county_staff, month=MONTH, region=region(YUELU),
                                    today=datetime.date(2025, 4, 2))  # fmt: skip
    assert built.status == ReportStatus.DONE, built.error
    return built


def test_word_file_is_a4_with_official_margins(report: Any) -> None:
    from docx import Document

    document = Document(io.BytesIO(report.docx.open("rb").read()))
    for section in document.sections:
        size = (round(section.page_width.mm), round(section.page_height.mm))
        assert size == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)  # fmt: skip
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    # Charts fit between the margins (210 - 28 - 26 = 156 mm).
    for shape in document.inline_shapes:
        assert shape.width.mm <= 156.01


def _pdf_pages(data: bytes) -> tuple[list[tuple[float, float]], list[bytes]]:
    boxes = [
        (float(w), float(h))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    ]
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    return boxes, streams


def test_pdf_file_is_a4_with_official_margins(report: Any) -> None:
    data = report.pdf.open("rb").read()
    boxes, streams = _pdf_pages(data)
    assert boxes
    assert all((round(w * MM_PER_POINT), round(h * MM_PER_POINT)) == (210, 297) for w, h in boxes)
    # fpdf2 places each line of text with "BT x y Td" (points from the bottom-left corner).
    moves = [
        (float(x), float(y))
        for stream in streams
        for x, y in re.findall(rb"BT\s+([\d.]+)\s+([\d.]+)\s+Td", stream)
    ]
    assert moves, "no text found in the PDF"
    left = min(x for x, _y in moves) * MM_PER_POINT
    assert left == pytest.approx(28, abs=0.5)
    top_line = max(y for _x, y in moves) * MM_PER_POINT
    assert 297 - 37 - 10 < top_line < 297 - 37  # the first baseline sits just under the margin
    lowest = min(y for _x, y in moves) * MM_PER_POINT
    assert lowest >= 35 - 1  # nothing below the bottom margin
