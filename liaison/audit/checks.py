"""System checks of the audit trail."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import connections, router

from liaison.audit.models import AuditEvent


def check_append_serialized(**kwargs: Any) -> list[checks.CheckMessage]:
    """On SQLite the hash chain relies on BEGIN IMMEDIATE: a deferred transaction reads the last
    hash before it holds the write lock, so two appends could link to the same event."""

    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "sqlite":
        return []
    mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
    if str(mode).upper() == "IMMEDIATE":
        return []
    return [
        checks.Error(
            "SQLite 数据库须以 IMMEDIATE 模式开启事务（OPTIONS['transaction_mode']），"
            "否则审计日志哈希链可能分叉。",
            id="audit.E001",
        )
    ]
