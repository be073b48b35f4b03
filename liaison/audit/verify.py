"""Walking the audit chain, and the recorded heads that make cutting off its end visible.

The walk reads events in `seq` order, a chunk at a time, and stops at the first broken link. A
head (seq, hash, count) is appended to AUDIT_HEAD_FILE after every intact walk of the worker's
daily check and of `manage.py verify_audit`, and written to the log; the next walk compares
against the last recorded head, so that removing the newest events (which leaves a shorter chain
that is intact in itself) is found too.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from liaison.audit.chain import GENESIS, event_hash, values_of
from liaison.audit.models import AuditEvent
from liaison.audit.triggers import triggers_missing


class BreakKind:
    """What is wrong with the first broken link (the text `verify_audit` prints)."""

    CHANGED = "changed"  # the event's stored hash does not match its content
    MISSING = "missing"  # a gap in seq: events were deleted
    LINK = "link"  # prev_hash is not the previous event's hash: the one before was rewritten
    TRUNCATED = "truncated"  # fewer events than the last recorded head
    REWRITTEN = "rewritten"  # the event at the recorded head has another hash now


@dataclass(frozen=True)
class ChainBreak:
    kind: str
    detail: str
    event_id: int | None = None
    seq: int | None = None
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str
    count: int
    recorded_at: str = ""


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: ChainHead
    broken: ChainBreak | None
    missing_triggers: tuple[str, ...]
    compared_with: ChainHead | None

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.missing_triggers


def _head_file() -> Path | None:
    value = getattr(settings, "AUDIT_HEAD_FILE", "")
    return Path(value) if value else None


def audit_head_last() -> ChainHead | None:
    """The last head written to AUDIT_HEAD_FILE, if any."""
    path = _head_file()
    if path is None or not path.exists():
        return None
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    if not lines:
        return None
    data = json.loads(lines[-1])
    return ChainHead(
        seq=int(data["seq"]),
        hash=str(data["hash"]),
        count=int(data["count"]),
        recorded_at=str(data.get("recorded_at", "")),
    )


def audit_head_record(*, head: ChainHead) -> None:
    """Append `head` to AUDIT_HEAD_FILE (owner-only: it is what the trail is checked against)."""
    path = _head_file()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {**asdict(head), "recorded_at": timezone.now().isoformat()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        handle.write(json.dumps(entry) + "\n")


def audit_chain_verify(*, compare_with: ChainHead | None = None, chunk: int = 2000) -> ChainReport:
    """Walk the whole chain; the report names the first broken link, if any."""
    using = router.db_for_read(AuditEvent)
    prev_seq, prev_hash, count = 0, GENESIS, 0
    broken: ChainBreak | None = None
    events = AuditEvent.objects.using(using).order_by("seq")
    for event in events.iterator(chunk_size=chunk):
        broken = _check_link(event, prev_seq=prev_seq, prev_hash=prev_hash)
        if (
            broken is None
            and compare_with is not None
            and event.seq == compare_with.seq
            and event.hash != compare_with.hash
        ):
            broken = ChainBreak(
                kind=BreakKind.REWRITTEN,
                detail=(
                    f"记录的链头（序号 {compare_with.seq}，{compare_with.recorded_at}）摘要为 "
                    f"{compare_with.hash[:16]}…，现为 {event.hash[:16]}…：此前的事件被重写"
                ),
                event_id=event.pk,
                seq=event.seq,
                at=event.at,
            )
        if broken is not None:
            break
        prev_seq, prev_hash, count = event.seq, event.hash, count + 1
    if broken is None and compare_with is not None and prev_seq < compare_with.seq:
        broken = ChainBreak(
            kind=BreakKind.TRUNCATED,
            detail=(
                f"最新的事件被截掉：记录的链头为序号 {compare_with.seq}"
                f"（{compare_with.recorded_at}），现在最后一个事件的序号为 {prev_seq}"
            ),
            seq=prev_seq + 1,
        )
    return ChainReport(
        count=count,
        head=ChainHead(seq=prev_seq, hash=prev_hash, count=count),
        broken=broken,
        missing_triggers=tuple(triggers_missing(connections[using])),
        compared_with=compare_with,
    )


def _check_link(event: AuditEvent, *, prev_seq: int, prev_hash: str) -> ChainBreak | None:
    def found(kind: str, detail: str) -> ChainBreak:
        return ChainBreak(kind=kind, detail=detail, event_id=event.pk, seq=event.seq, at=event.at)

    if event.seq != prev_seq + 1:
        return found(
            BreakKind.MISSING,
            f"缺少序号 {prev_seq + 1}–{event.seq - 1} 的事件（被删除）",
        )
    if event_hash(values_of(event), event.prev_hash) != event.hash:
        return found(BreakKind.CHANGED, "事件内容与其摘要不符（内容被修改）")
    if event.prev_hash != prev_hash:
        return found(
            BreakKind.LINK,
            f"与前一事件（序号 {prev_seq}）的链接断开：前一事件被重写，或其后被插入了事件",
        )
    return None


def audit_report_lines(report: ChainReport) -> list[str]:
    """The report as lines of text, for the command and the worker's log."""
    lines: list[str] = []
    broken = report.broken
    if broken is not None:
        at = timezone.localtime(broken.at).strftime("%Y-%m-%d %H:%M:%S") if broken.at else "—"
        lines.append(
            f"审计日志链断开：事件 id={broken.event_id or '—'}，序号 {broken.seq}，时间 {at}，"
            f"{broken.detail}（之前的 {report.count} 个事件完好）"
        )
    if report.missing_triggers:
        lines.append("缺少防篡改触发器：" + "、".join(report.missing_triggers))
    if report.intact:
        lines.append(
            f"审计日志链完好：{report.count} 个事件，链头序号 {report.head.seq}，"
            f"摘要 {report.head.hash}"
        )
    return lines
