"""The export kit: every file the platform hands to people (xlsx, csv, docx, pdf) is built here.

An app says WHAT a file contains and leaves the layout to the kit:

- a table export declares its official columns once (`Column`: Chinese header, a function from
  a row to the value, a width, whether it holds personal data) and wraps them with its rows in a
  `Table` (title, subtitle such as period and jurisdiction, sheet name, masking on or off);
  `table_xlsx` and `table_csv` / `table_csv_lines` write it;
- a document (a report, a register to print) is a `Document` of `Block`s (headings, paragraphs,
  tables, images); `document_docx` and `document_pdf` lay it out alike on A4 with the GB/T 9704
  margins, in the installed CJK font;
- `export_filename` names the download (Chinese name, date range, safe characters) and
  `export_response` / `export_stream` send a file built in the request.

Every writer drops the characters XML and openpyxl refuse (`text_clean`), so text stored before
the input check existed never fails an export. `common` imports no project app, so any app
(the six to come included) may use the kit.
"""

from liaison.common.exports.model import (
    OFFICIAL_A4,
    Block,
    Column,
    Document,
    PageSetup,
    Table,
    display_width,
    table_block,
)
from liaison.common.exports.names import export_filename, export_response, export_stream
from liaison.common.exports.pdf import document_pdf, pdf_start
from liaison.common.exports.tabular import table_csv, table_csv_lines, table_xlsx
from liaison.common.exports.word import document_docx

__all__ = [
    "OFFICIAL_A4",
    "Block",
    "Column",
    "Document",
    "PageSetup",
    "Table",
    "display_width",
    "document_docx",
    "document_pdf",
    "export_filename",
    "export_response",
    "export_stream",
    "pdf_start",
    "table_block",
    "table_csv",
    "table_csv_lines",
    "table_xlsx",
]
