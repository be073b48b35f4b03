"""CSV in and out for `manage.py hot_topics` (UTF-8, optional BOM, extra columns ignored).

Input columns: ``id,title,detail`` and optional ``submitted_at,likes,dislikes,user``. A malformed
date or number counts as missing. Output: ``rank,heat,label,place,start,end,size,message_ids``
(ids separated by spaces), hottest first, written to a temporary file renamed into place only when
complete, so a failed run leaves no output file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from .csvio import CsvInputError, _open, _rows, _wrap
from .topics import Message, Topic, find_topics

OUTPUT_COLUMNS = ("rank", "heat", "label", "place", "start", "end", "size", "message_ids")


def parse_when(value: str) -> datetime | date | None:
    """'2019-11-02 10:20:30', '2019/11/02', '2019-11-02T10:20' …; anything else is missing."""
    text = (value or "").strip().replace("/", "-")
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_count(value: str) -> int | None:
    try:
        number = float((value or "").strip())
    except ValueError:
        return None
    return int(number) if number == number and abs(number) < 1e12 else None


def read_messages(path: Path) -> list[Message]:
    """Messages of a CSV with at least an `id` column."""
    with _open(path) as handle:
        try:
            return [
                Message(
                    id=row["id"],
                    title=row.get("title", ""),
                    detail=row.get("detail", ""),
                    submitted_at=parse_when(row.get("submitted_at", "")),
                    likes=parse_count(row.get("likes", "")),
                    dislikes=parse_count(row.get("dislikes", "")),
                    user=(row.get("user") or "").strip() or None,
                )
                for row in _rows(handle, ("id",), path)
            ]
        except (UnicodeDecodeError, csv.Error, OSError) as exc:
            raise _wrap(path, exc) from exc


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def write_topics(topics: list[Topic], target: Path) -> None:
    """Write the topics atomically (temporary file, then rename)."""
    target_dir = target.resolve().parent
    if not target_dir.is_dir():
        raise CsvInputError(f"输出目录不存在：{target_dir}")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(OUTPUT_COLUMNS)
            for topic in topics:
                writer.writerow(
                    [
                        topic.rank,
                        f"{topic.heat:.2f}",
                        topic.label,
                        topic.place,
                        _day(topic.start),
                        _day(topic.end),
                        topic.size,
                        " ".join(str(i) for i in topic.message_ids),
                    ]
                )
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def hot_topics_csv(source: Path, target: Path, *, top: int | None) -> int:
    """Read `source`, find its hot topics, write the first `top` to `target`; returns the count."""
    topics = find_topics(read_messages(source), top=top)
    write_topics(topics, target)
    return len(topics)
