"""一册: a deputy's file of a year as one `Document` of the export kit (Word and PDF alike)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.archives.sections import Section
from liaison.common.exports import Block, Document
from liaison.deputies.models import Deputy


def _blocks(section: Section) -> list[Block]:
    blocks = [Block("heading", text=section.heading)]
    if section.facts:
        blocks.append(Block("paragraph", text="；".join(f"{k}：{v}" for k, v in section.facts)))
    if section.rows:
        blocks.append(Block("table", headers=section.headers, rows=section.rows))
    elif not section.facts:
        blocks.append(Block("paragraph", text=section.note))
    return blocks


def deputy_file_document(deputy: Deputy, *, year: int, sections: list[Section]) -> Document:
    """The file as printed: one heading per section, its summary, then its whole table."""
    blocks = [block for section in sections for block in _blocks(section)]
    subtitle = _("%(year)d 年度 · 生成于 %(at)s") % {
        "year": year,
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    return Document(
        title=_("%(name)s代表履职档案") % {"name": deputy.name}, subtitle=subtitle, blocks=blocks
    )
