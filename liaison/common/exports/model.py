"""What an export says, apart from how it is laid out: columns, tables, document blocks, page."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from liaison.common.masking import mask_text
from liaison.common.text import text_clean


def display_width(text: str) -> int:
    """How many character cells `text` takes in Excel: two for a CJK (wide) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


@dataclass(frozen=True)
class Column[R]:
    """One official column, declared once per export.

    `personal` marks a column holding people's data: in a masked table its cell is `masked(row)`
    when given, else the value with phone and ID numbers starred (`mask_text`).
    """

    header: str
    value: Callable[[R], Any]
    width: int = 12  # in characters, as Excel counts them (a CJK character is about two)
    personal: bool = False
    masked: Callable[[R], Any] | None = None

    def __post_init__(self) -> None:
        # A masking rule on a column that is never masked would be a silent leak waiting.
        if self.masked is not None and not self.personal:
            raise ValueError(f"column {self.header!r}: `masked` needs personal=True")

    def cell(self, row: R, *, mask: bool) -> Any:
        """The value of this column in `row`, masked when asked and the column is personal."""
        if not (mask and self.personal):
            return self.value(row)
        if self.masked is not None:
            return self.masked(row)
        value = self.value(row)
        return mask_text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Table[R]:
    """Rows under declared columns, with the title and subtitle a register carries on top.

    `rows` may be a lazy iterator (a queryset's `.iterator()`): writers read it once. Personal
    columns are masked unless the export asked otherwise (`mask=False`, to be audited).
    """

    columns: Sequence[Column[R]]
    rows: Iterable[R]
    title: str = ""
    subtitle: str = ""  # e.g. the period and the jurisdiction
    sheet_name: str = ""
    mask: bool = True

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def values(self) -> Iterator[list[Any]]:
        """Each row's cells, in column order."""
        for row in self.rows:
            yield [column.cell(row, mask=self.mask) for column in self.columns]


BlockKind = Literal["heading", "paragraph", "table", "image"]


@dataclass(frozen=True)
class Block:
    """One piece of a document: a section heading, a paragraph, a table of text, a PNG image."""

    kind: BlockKind
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    image: bytes = b""

    def cleaned(self) -> Block:
        """This block without the characters XML refuses (text stored before they were)."""
        return replace(
            self,
            text=text_clean(self.text),
            headers=tuple(text_clean(h) for h in self.headers),
            rows=tuple(tuple(text_clean(str(c)) for c in row) for row in self.rows),
        )


def table_block(table: Table[Any]) -> Block:
    """A document table from declared columns (values as text; `None` as empty)."""
    return Block(
        "table",
        headers=tuple(table.headers),
        rows=tuple(tuple("" if v is None else str(v) for v in row) for row in table.values()),
    )


@dataclass(frozen=True)
class PageSetup:
    """A page and its margins, in mm."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right


# Official documents (GB/T 9704-2012 党政机关公文格式) are A4 with these margins; Word and PDF
# both use them, so the two files print alike (python-docx's default is US Letter).
OFFICIAL_A4: Final = PageSetup(width=210, height=297, top=37, bottom=35, left=28, right=26)


@dataclass(frozen=True)
class Document:
    """A document to print: the title (centred on top), a subtitle line, then the blocks."""

    title: str
    blocks: Sequence[Block] = field(default_factory=tuple)
    subtitle: str = ""
    page: PageSetup = OFFICIAL_A4
