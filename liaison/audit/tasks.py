"""Background tasks of the audit trail (run by `manage.py worker`)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

from liaison.audit.verify import (
    audit_chain_verify,
    audit_head_last,
    audit_head_record,
    audit_report_lines,
)

logger = logging.getLogger("liaison.audit")


@task()
def verify_audit_task() -> dict[str, Any]:
    """Daily: walk the hash chain; log the head (or the break) and record an intact head."""

    report = audit_chain_verify(compare_with=audit_head_last())
    for line in audit_report_lines(report):
        # The log is the second copy of the head, out of reach of whoever can write the database.
        (logger.info if report.intact else logger.error)("%s", line)
    if report.intact:
        audit_head_record(head=report.head)
    return {"intact": report.intact, "count": report.count, "head_seq": report.head.seq}
