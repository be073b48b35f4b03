"""Files of duty reports: the sign-in sheet with the one-time codes (PDF) and the list of
deputies who have not reported this term (xlsx)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Final

from django.utils import timezone
from django.utils.formats import date_format

from liaison.common.exports import Column, PageSetup, Table, pdf_start, table_xlsx
from liaison.common.qr import qr_png
from liaison.deputies.models import Deputy
from liaison.dutyreports.codes import code_display, code_for
from liaison.dutyreports.models import DutyReport

SHEET_PAGE: Final = PageSetup(width=210, height=297, top=15, bottom=15, left=15, right=15)


def sheet_pdf(*, report: DutyReport, numbers: Iterable[int], url: str) -> bytes:
    """The sign-in sheet: the report's QR code on top, then one line per code (number, code,
    a blank for the signature). The codes are derived, never read from the database."""
    pdf = pdf_start(title=f"{report.title} 签到表", page=SHEET_PAGE)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(width, 9, f"{report.deputy.name}代表述职会 签到及满意度测评表", align="C")
    pdf.set_font("cjk", size=11)
    when = date_format(timezone.localtime(report.starts_at), "Y年n月j日 H:i")
    pdf.multi_cell(width, 7, f"{report.title}\n{when} · {report.place}", align="C")
    top = pdf.get_y() + 2
    pdf.image(io.BytesIO(qr_png(url, scale=8)), x=15, y=top, w=40)
    pdf.set_xy(60, top + 4)
    pdf.multi_cell(
        width - 45,
        7,
        "请用手机扫描左侧二维码，输入本表上您签名一行的测评码，对代表述职进行满意度测评。"
        "每个测评码只能使用一次。\n" + url,
    )
    pdf.set_y(top + 44)
    pdf.set_font("cjk", size=12)
    columns = ((18, "序号"), (50, "测评码"), (width - 68, "签名"))
    for column_width, header in columns:
        pdf.cell(column_width, 9, header, border=1, align="C")
    pdf.ln()
    for number in numbers:
        code = code_display(code_for(report.token, number))
        pdf.cell(18, 9, str(number), border=1, align="C")
        pdf.cell(50, 9, code, border=1, align="C")
        pdf.cell(width - 68, 9, "", border=1)
        pdf.ln()
    return bytes(pdf.output())


NOT_REPORTED_COLUMNS: Final[tuple[Column[Deputy], ...]] = (
    Column("代表", lambda d: d.name, width=12),
    Column("代表码", lambda d: d.code, width=12),
    Column("本届任期开始", lambda d: d.term_start, width=14),  # type: ignore[attr-defined]
    Column("所属区划", lambda d: str(d.home_region or ""), width=20),
)


def not_reported_xlsx(deputies: Iterable[Deputy], *, scope: str, today: datetime.date) -> bytes:
    table = Table(
        columns=NOT_REPORTED_COLUMNS,
        rows=deputies,
        title="本届尚未述职的代表",
        subtitle=f"{scope} · 截至 {today.isoformat()}",
        sheet_name="尚未述职",
    )
    content, _rows = table_xlsx(table)
    return content
