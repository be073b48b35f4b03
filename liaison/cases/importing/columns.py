"""The columns a 12345/Excel work-order file may have, declared once (page, template, parser).

The limits of the columns that are fields of the intake request are that request's
(`liaison/cases/intake_spec.py`), checked with the intake checks' wording (`checking.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from liaison.cases.intake_spec import MAX_CONTENT
from liaison.cases.models import Kind
from liaison.common.exports import Column as ExportColumn
from liaison.common.exports import Table, display_width, table_csv, table_xlsx

# Files above this many rows are imported by the task worker, not in the request.
BACKGROUND_ROWS: Final = 2000
MAX_ROWS: Final = 50_000
MAX_BYTES: Final = 20 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name in our template
    aliases: tuple[str, ...]
    required: bool
    help: str
    example: str


COLUMNS: Final[tuple[Column, ...]] = (
    Column(
        "ref",
        "工单编号",
        ("工单号", "受理编号", "编号", "工单编码"),
        True,
        "12345 系统的工单编号，同一编号只导入一次",
        "GD20260301000123",
    ),
    Column(
        "received_at",
        "来电时间",
        ("受理时间", "来电日期", "登记时间", "反映时间"),
        True,
        "如 2026-03-01 09:30，或 2026/3/1",
        "2026-03-01 09:30",
    ),
    Column(
        "kind",
        "诉求类型",
        ("类型", "诉求类别", "工单类型"),
        True,
        "咨询、求助、投诉、建议（意见建议视为建议，举报视为投诉）",
        "投诉",
    ),
    Column(
        "title",
        "标题",
        ("诉求标题", "主题", "工单标题"),
        False,
        "可留空，留空时取诉求内容前 30 字",
        "小区电梯长期故障",
    ),
    Column(
        "content",
        "诉求内容",
        ("内容", "来电内容", "问题描述", "诉求描述"),
        True,
        f"不超过 {MAX_CONTENT} 字",
        "某小区 3 栋电梯停运两周，老人上下楼困难。",
    ),
    Column(
        "contact_name", "联系人", ("来电人", "姓名", "诉求人", "反映人"), False, "可留空", "张三"
    ),
    Column(
        "contact_phone",
        "联系电话",
        ("来电号码", "电话", "手机号", "联系方式"),
        False,
        "11 位手机号，可留空",
        "13800138000",
    ),
    Column(
        "place",
        "地址",
        ("诉求地址", "事发地址", "地点", "事发地点"),
        False,
        "可留空",
        "岳麓区某小区 3 栋",
    ),
    Column(
        "station",
        "联络站",
        ("所属联络站", "联络站编码", "站点码"),
        False,
        "联络站的站点码或全称；与“所属区划”至少填一项",
        "",
    ),
    Column(
        "region",
        "所属区划",
        ("区划", "区划代码", "所属街道", "所属乡镇", "所属区域"),
        False,
        "12 位区划代码或区划名称；与“联络站”至少填一项",
        "430104002000",
    ),
)
_BY_NAME: Final = {name: column for column in COLUMNS for name in (column.header, *column.aliases)}
KIND_WORDS: Final = {
    "咨询": Kind.INQUIRY,
    "求助": Kind.HELP,
    "投诉": Kind.COMPLAINT,
    "举报": Kind.COMPLAINT,
    "建议": Kind.SUGGESTION,
    "意见建议": Kind.SUGGESTION,
    "意见": Kind.SUGGESTION,
    **{k.value: k.value for k in Kind},
}
_DATE_FORMATS: Final = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d",
)  # fmt: skip


# What a person sees of the template: the download's file name and the sheet's tab (Excel's
# default "Sheet" says nothing when the file is passed around).
TEMPLATE_NAME: Final = "12345工单导入模板"
TEMPLATE_SHEET: Final = "12345工单"


def _template_table() -> Table[dict[str, str]]:
    """Our headers over one example row, each column wide enough for the longer of the two."""
    columns = [
        ExportColumn(
            c.header,
            itemgetter(c.key),
            width=max(display_width(c.header), display_width(c.example)) + 2,
        )
        for c in COLUMNS
    ]
    example = {c.key: c.example for c in COLUMNS}
    return Table(columns=columns, rows=[example], sheet_name=TEMPLATE_SHEET)


def template_rows() -> list[list[str]]:
    """The template file: our headers and one example row."""
    return [[c.header for c in COLUMNS], [c.example for c in COLUMNS]]


def template_csv() -> str:
    """The template as CSV text, with the byte-order mark Excel needs to read UTF-8."""
    return table_csv(_template_table())


def template_xlsx() -> bytes:
    """The template as a workbook whose one sheet is named `TEMPLATE_SHEET`, header row first
    (the import reads the first row as the header, so the template has no title row)."""
    content, _rows = table_xlsx(_template_table())
    return content
