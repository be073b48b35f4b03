"""`manage.py rotate_field_key`: re-encrypt personal data under the newest field key.

Every EncryptedTextField of every model, and the sealed payloads of the intake journal, are read
with any known key (FIELD_ENCRYPTION_KEYS, FIELD_ENCRYPTION_KEY, the key derived from SECRET_KEY)
and written back under the newest one. Values already under the newest key are left alone, so
the command can be run again after an interruption. A value no key opens is left as it is,
counted, and makes the exit status 1. docs/security.md has the whole procedure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from liaison.common.crypto import EncryptedTextField, is_current_token, reseal, rotate_token

# Plain text columns that hold `seal` tokens: (app label, model, field). Named, not imported,
# because this lower app must not import the apps above it.
SEALED_FIELDS: tuple[tuple[str, str, str], ...] = (("cases", "IntakeEntry", "payload"),)


@dataclass
class Tally:
    rotated: int = 0
    current: int = 0
    unreadable: int = 0


def _encrypted_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _rotate_column(
    model: type[models.Model], name: str, *, sealed: bool, batch: int, dry_run: bool
) -> Tally:
    tally = Tally()
    manager = model._base_manager
    # The raw token, not the decrypted value the field would give.
    rows = (
        manager.exclude(**{name: ""})
        .exclude(**{f"{name}__isnull": True})
        .annotate(_token=Cast(name, models.TextField()))
        .order_by("pk")
        .values_list("pk", "_token")
    )
    last_pk: Any = None
    while True:
        # Read and write in one transaction, rows locked, so that an edit made meanwhile is not
        # overwritten with the old value (SQLite: BEGIN IMMEDIATE already holds the write lock).
        with transaction.atomic():
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            chunk = list(page.select_for_update()[:batch])
            if not chunk:
                return tally
            last_pk = chunk[-1][0]
            for pk, token in chunk:
                try:
                    new = reseal(token) if sealed else _rotated(token)
                except (InvalidToken, ValueError):
                    tally.unreadable += 1
                    continue
                if new is None or new == token:
                    tally.current += 1
                    continue
                tally.rotated += 1
                if not dry_run:
                    value = models.Value(new, output_field=models.TextField())
                    manager.filter(pk=pk).update(**{name: value})


def _rotated(token: str) -> str | None:
    return None if is_current_token(token) else rotate_token(token)


class Command(BaseCommand):
    help = "用最新的字段加密密钥重新加密全部个人信息字段和密封的接收记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only, write nothing")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch, dry_run = options["batch_size"], options["dry_run"]
        columns = [(model, name, False) for model, name in _encrypted_fields()]
        columns += [
            (apps.get_model(app, model), name, True)
            for app, model, name in SEALED_FIELDS
            if apps.is_installed(f"liaison.{app}")
        ]
        unreadable = 0
        for model, name, sealed in columns:
            tally = _rotate_column(model, name, sealed=sealed, batch=batch, dry_run=dry_run)
            unreadable += tally.unreadable
            verb = "将重新加密" if dry_run else "已重新加密"
            self.stdout.write(
                f"{model._meta.label}.{name}：{verb} {tally.rotated}，"
                f"已是最新密钥 {tally.current}，无法解密 {tally.unreadable}"
            )
        if unreadable:
            raise CommandError(
                f"{unreadable} 个值用现有的任何密钥都无法解密，未作改动。"
                "请把加密它们的旧密钥加入 FIELD_ENCRYPTION_KEYS 后再运行。"
            )
        self.stdout.write("字段加密密钥轮换完成。" if not dry_run else "（试运行，未写入）")
