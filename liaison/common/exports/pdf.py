"""Documents as PDF (fpdf2): the page's size and margins, the CJK font embedded."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Final

from liaison.common.exports.model import OFFICIAL_A4, Document, PageSetup
from liaison.common.fonts import CJKFont, find_cjk_font
from liaison.common.text import text_clean

if TYPE_CHECKING:
    from fpdf import FPDF

CREATOR: Final = "人大代表联络站智慧平台"
# The family name every kit PDF registers the CJK font under.
FONT: Final = "cjk"


def _add_font(pdf: FPDF, font: CJKFont) -> None:
    if font.path.suffix.lower() == ".ttc":
        pdf.add_font(FONT, fname=str(font.path), collection_font_number=font.index)
    else:
        pdf.add_font(FONT, fname=str(font.path))


def pdf_start(
    *,
    title: str,
    page: PageSetup = OFFICIAL_A4,
    auto_page_break: bool = True,
    font: CJKFont | None = None,
) -> FPDF:
    """A PDF with the page's size and margins, the CJK font (`font`, else the installed one)
    registered as "cjk", the title and creator set, and no page yet. Raises CJKFontMissing
    rather than print empty boxes."""
    # fpdf2 pulls in fontTools (about a second to import): load it only when a PDF is made,
    # not in every process that imports the URL configuration.
    from fpdf import FPDF

    font = font or find_cjk_font()
    pdf = FPDF(orientation="P", unit="mm", format=(page.width, page.height))
    pdf.set_margins(left=page.left, top=page.top, right=page.right)
    pdf.set_auto_page_break(auto=auto_page_break, margin=page.bottom)
    _add_font(pdf, font)
    pdf.set_title(text_clean(title))
    pdf.set_creator(CREATOR)
    return pdf


def document_pdf(document: Document) -> bytes:
    """The PDF bytes: title centred, subtitle, then the blocks; images as wide as the text."""
    from fpdf.fonts import FontFace

    pdf = pdf_start(title=document.title, page=document.page)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(width, 9, text_clean(document.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if document.subtitle:
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(width, 6, text_clean(document.subtitle), new_x="LMARGIN", new_y="NEXT")
    for block in (b.cleaned() for b in document.blocks):
        if block.kind == "heading":
            pdf.ln(2)
            pdf.set_font(FONT, size=13)
            pdf.multi_cell(width, 8, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "paragraph":
            pdf.set_font(FONT, size=10)
            pdf.multi_cell(width, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "image":
            pdf.image(io.BytesIO(block.image), w=width)
        elif block.kind == "table":
            pdf.set_font(FONT, size=8)
            with pdf.table(
                headings_style=FontFace(emphasis=None, fill_color=(240, 240, 240)),
                line_height=5,
            ) as table:
                table.row(block.headers)
                for row in block.rows:
                    table.row(row)
            pdf.ln(1)
    return bytes(pdf.output())
