"""CSV in and out for the classifier commands (UTF-8, an optional BOM, any extra columns)."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .classifier import Classifier

CHUNK_ROWS = 1_000


class CsvInputError(Exception):
    """The input file cannot be used; the message is meant for people (Chinese)."""


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:  # sys.maxsize overflows a C long on some platforms
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def _rows(handle: TextIO, required: tuple[str, ...], path: Path) -> Iterator[dict[str, str]]:
    _raise_field_limit()
    reader = csv.DictReader(handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise CsvInputError(f"文件为空或没有表头：{path}")
    reader.fieldnames = header
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvInputError(
            f"缺少必需的列：{'、'.join(missing)}（文件 {path}，表头为 {','.join(header)}）"
        )
    for row in reader:
        yield {key: (value or "") for key, value in row.items() if isinstance(key, str)}


def _open(path: Path) -> TextIO:
    if not path.is_file():
        raise CsvInputError(f"输入文件不存在或不可读：{path}")
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CsvInputError(f"无法打开输入文件：{path}（{exc.strerror}）") from exc


def _wrap(path: Path, exc: Exception) -> CsvInputError:
    if isinstance(exc, UnicodeDecodeError):
        return CsvInputError(f"文件不是 UTF-8 编码，无法读取：{path}")
    if isinstance(exc, csv.Error):
        return CsvInputError(f"CSV 格式错误：{path}（{exc}）")
    return CsvInputError(f"读取文件失败：{path}（{exc}）")


def read_training_rows(path: Path) -> list[tuple[str, str, str]]:
    """(title, detail, label) rows from a CSV with columns title,detail,label."""
    with _open(path) as handle:
        try:
            return [
                (row.get("title", ""), row.get("detail", ""), row.get("label", ""))
                for row in _rows(handle, ("title", "detail", "label"), path)
            ]
        except (UnicodeDecodeError, csv.Error, OSError) as exc:
            raise _wrap(path, exc) from exc


def classify_csv(classifier: Classifier, source: Path, target: Path) -> int:
    """Classify every row of `source` (id,title,detail) into `target` (id,label,confidence).

    Rows are written in input order. The output goes to a temporary file next to `target` that is
    renamed into place only when every row is done, so a failed run leaves no partial output.
    Returns the number of rows written.
    """
    target_dir = target.resolve().parent
    if not target_dir.is_dir():
        raise CsvInputError(f"输出目录不存在：{target_dir}")
    with _open(source) as handle:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target_dir)
        written = 0
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(["id", "label", "confidence"])
                chunk: list[dict[str, str]] = []
                rows = _rows(handle, ("id",), source)
                while True:
                    try:
                        row = next(rows, None)
                    except (UnicodeDecodeError, csv.Error, OSError) as exc:
                        raise _wrap(source, exc) from exc
                    if row is not None:
                        chunk.append(row)
                    if chunk and (row is None or len(chunk) >= CHUNK_ROWS):
                        written += _write_chunk(classifier, writer, chunk)
                        chunk = []
                    if row is None:
                        break
            os.chmod(tmp_name, 0o644)  # mkstemp makes it owner-only
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    return written


def _write_chunk(classifier: Classifier, writer: Any, chunk: list[dict[str, str]]) -> int:
    predictions = classifier.predict(
        [(row.get("title", ""), row.get("detail", "")) for row in chunk]
    )
    for row, prediction in zip(chunk, predictions, strict=True):
        writer.writerow([row["id"], prediction.label, f"{prediction.confidence:.4f}"])
    return len(chunk)
