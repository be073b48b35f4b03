"""Printable posters with a large QR code (站点码 / 代表码): A4 PDF and PNG.

Text is set in the installed CJK font; without one `CJKFontMissing` propagates so the caller can
tell the operator how to install it, rather than printing empty boxes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw, ImageFont

from liaison.common.exports import PageSetup, pdf_start
from liaison.common.fonts import find_cjk_font
from liaison.common.qr import qr_png

if TYPE_CHECKING:
    from fpdf import FPDF

A4_MM: Final = (210.0, 297.0)
# A4 at 150 dpi: sharp enough to print, small enough to send in a chat.
POSTER_PNG_SIZE: Final = (1240, 1754)
RED: Final = (183, 28, 28)
INK: Final = (34, 34, 34)
MUTED: Final = (102, 102, 102)
FOOTER_TEXT: Final = "扫码反映意见建议 · 人大代表联络站智慧平台"
# A4 with a narrow margin: a poster is no official document (see OFFICIAL_A4 for those).
POSTER_PAGE: Final = PageSetup(
    width=A4_MM[0], height=A4_MM[1], top=15, bottom=15, left=15, right=15
)


def poster_pdf(*, heading: str, title: str, lines: list[str], url: str) -> bytes:
    """An A4 PDF: red heading band, title, a large QR code, the URL and a few lines of facts."""
    # Placed by hand, so nothing may flow onto a second page.
    font = find_cjk_font()
    pdf = pdf_start(title=title, page=POSTER_PAGE, auto_page_break=False, font=font)
    pdf.add_page()
    width = A4_MM[0] - 30

    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, A4_MM[0], 38, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("cjk", size=_fit_size(pdf, heading, width, 26, 14))
    pdf.set_xy(15, 12)
    pdf.cell(width, 14, heading, align="C")

    pdf.set_text_color(*INK)
    pdf.set_xy(15, 48)
    pdf.set_font("cjk", size=_fit_size(pdf, title, width * 2, 24, 14))
    pdf.multi_cell(width, 11, title, align="C")

    qr_side = 130.0
    qr_top = max(pdf.get_y() + 6, 78.0)
    pdf.image(io.BytesIO(qr_png(url, scale=20)), x=(A4_MM[0] - qr_side) / 2, y=qr_top, w=qr_side)

    pdf.set_xy(15, qr_top + qr_side + 2)
    pdf.set_font("cjk", size=_fit_size(pdf, url, width, 12, 7))
    pdf.set_text_color(*MUTED)
    pdf.cell(width, 7, url, align="C")

    pdf.set_text_color(*INK)
    pdf.set_font("cjk", size=13)
    pdf.set_xy(15, qr_top + qr_side + 14)
    for line in lines:
        if pdf.get_y() > A4_MM[1] - 35:
            break
        pdf.multi_cell(width, 8, line, align="C")
        pdf.set_x(15)

    pdf.set_xy(15, A4_MM[1] - 22)
    pdf.set_font("cjk", size=12)
    pdf.set_text_color(*RED)
    pdf.cell(width, 8, FOOTER_TEXT, align="C")
    return bytes(pdf.output())


def _fit_size(pdf: FPDF, text: str, width: float, largest: int, smallest: int) -> int:
    """The largest font size (pt) at which `text` fits in `width` mm, not below `smallest`."""
    for size in range(largest, smallest, -1):
        pdf.set_font("cjk", size=size)
        if pdf.get_string_width(text) <= width:
            return size
    return smallest


def poster_png(*, heading: str, title: str, lines: list[str], url: str) -> bytes:
    """The same poster as a PNG image of POSTER_PNG_SIZE pixels."""
    font = find_cjk_font()
    width, height = POSTER_PNG_SIZE
    margin = 90
    image = Image.new("RGB", POSTER_PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)

    def face(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(font.path), size, index=font.index)

    draw.rectangle((0, 0, width, 220), fill=RED)
    heading_face = _fit_face(face, heading, width - 2 * margin, 88, 40)
    _centered(draw, heading, heading_face, 110, fill="white", width=width)

    y = 290
    title_face = face(72)
    for part in _wrap(title, title_face, width - 2 * margin)[:3]:
        _centered(draw, part, title_face, y, fill=INK, width=width)
        y += 96

    qr_side = 820
    qr = Image.open(io.BytesIO(qr_png(url, scale=20))).convert("RGB")
    qr = qr.resize((qr_side, qr_side), Image.Resampling.NEAREST)
    qr_top = max(y + 10, 470)
    image.paste(qr, ((width - qr_side) // 2, qr_top))
    y = qr_top + qr_side + 40

    url_face = _fit_face(face, url, width - 2 * margin, 36, 20)
    _centered(draw, url, url_face, y, fill=MUTED, width=width)
    y += 70

    line_face = face(40)
    for line in lines:
        for part in _wrap(line, line_face, width - 2 * margin):
            if y > height - 170:
                break
            _centered(draw, part, line_face, y, fill=INK, width=width)
            y += 58

    _centered(draw, FOOTER_TEXT, face(38), height - 90, fill=RED, width=width)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fit_face(
    face: Callable[[int], ImageFont.FreeTypeFont],
    text: str,
    width: int,
    largest: int,
    smallest: int,
) -> ImageFont.FreeTypeFont:
    """The largest face (by steps of 4 px) in which `text` fits in `width` pixels."""
    for size in range(largest, smallest, -4):
        candidate = face(size)
        if candidate.getlength(text) <= width:
            return candidate
    return face(smallest)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break `text` into lines no wider than `width`; CJK text may break between any characters."""
    lines: list[str] = []
    current = ""
    for char in text:
        if font.getlength(current + char) > width and current:
            lines.append(current)
            current = char.lstrip()
        else:
            current += char
    if current:
        lines.append(current)
    return lines


def _centered(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    y: int,
    *,
    fill: object,
    width: int,
) -> None:
    # Pillow's stubs want a colour tuple or name for `fill`; callers pass either, typed object.
    draw.text((width // 2, y), text, font=font, fill=fill, anchor="mt")  # type: ignore[arg-type]
