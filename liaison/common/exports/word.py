"""Documents as Word (.docx): A4 with the page's margins, Chinese in the CJK font."""

from __future__ import annotations

import io
from typing import Any, Final

from liaison.common.exports.model import Document
from liaison.common.fonts import find_cjk_font
from liaison.common.text import text_clean

# The family Word asks the system for (the PDF embeds the font file itself).
WORD_FONT: Final = "Noto Sans CJK SC"
_STYLES: Final = ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid")


def _east_asian(element: Any, name: str) -> None:
    # Word picks the font of CJK characters from w:eastAsia, which python-docx does not set.
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def _run_font(paragraph: Any) -> None:
    for run in paragraph.runs:
        run.font.name = WORD_FONT
        _east_asian(run._element, WORD_FONT)


def document_docx(document: Document) -> bytes:
    """The .docx bytes: title (Word's Title style), subtitle, then the blocks; images as wide as
    the text. Raises CJKFontMissing rather than produce a file that relies on a missing font."""
    from docx import Document as WordDocument
    from docx.shared import Mm, Pt

    find_cjk_font()
    page = document.page
    word = WordDocument()
    for section in word.sections:
        section.page_width, section.page_height = Mm(page.width), Mm(page.height)
        section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
        section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    for style_name in _STYLES:
        style: Any = word.styles[style_name]
        style.font.name = WORD_FONT
        _east_asian(style.element, WORD_FONT)
    word.styles["Normal"].font.size = Pt(10.5)

    title = text_clean(document.title)
    _run_font(word.add_heading(title, level=0))
    if document.subtitle:
        _run_font(word.add_paragraph(text_clean(document.subtitle)))
    for block in (b.cleaned() for b in document.blocks):
        if block.kind == "heading":
            _run_font(word.add_heading(block.text, level=2))
        elif block.kind == "paragraph":
            _run_font(word.add_paragraph(block.text))
        elif block.kind == "image":
            word.add_picture(io.BytesIO(block.image), width=Mm(page.text_width))
        elif block.kind == "table":
            table = word.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = header
                _run_font(cell.paragraphs[0])
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
                    _run_font(cell.paragraphs[0])
    word.core_properties.title = title
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
