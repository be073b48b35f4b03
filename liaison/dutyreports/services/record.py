"""After the meeting: record it (text, attendance, photos), publish it, print the sheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.common.hotcache import clear_all
from liaison.common.text import text_problem
from liaison.common.uploads import CleanFile, clean_image
from liaison.dutyreports.models import DutyReport, DutyReportPhoto, EventKind, Status
from liaison.dutyreports.services.flow import report_begin
from liaison.jurisdiction.selectors import setting_value
from liaison.points.services import points_sync_on_commit

MAX_PHOTOS = 9
MAX_TEXT = 20_000
MAX_ATTENDANCE = 5_000


def _photos_check(report: DutyReport, photos: Sequence[Any]) -> list[tuple[str, CleanFile]]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}})
    max_mb = int(setting_value(key="max_upload_mb", region=report.region_id))
    cleaned: list[tuple[str, CleanFile]] = []
    errors: list[str] = []
    for number, photo in enumerate(photos, start=1):
        try:
            cleaned.append((str(photo.name)[-200:], clean_image(photo, max_bytes=max_mb << 20)))
        except ValidationError as exc:
            errors += [
                _("第 %(n)d 张照片：%(msg)s") % {"n": number, "msg": m} for m in exc.messages
            ]
    if errors:
        raise ValidationError({"photos": errors})
    return cleaned


def _record_check(text: str, attendance: int | None) -> str:
    errors: dict[str, str] = {}
    text = text.strip()
    problem = text_problem(text, label=_("述职报告"), multiline=True) if text else None
    if not text:
        problem = _("请填写述职报告全文。")
    elif len(text) > MAX_TEXT:
        problem = _("述职报告不能超过 %(n)d 个字。") % {"n": MAX_TEXT}
    if problem:
        errors["text"] = problem
    if attendance is None or not 0 < attendance <= MAX_ATTENDANCE:
        errors["attendance"] = _("到会人数应为 1 至 %(n)d。") % {"n": MAX_ATTENDANCE}
    if errors:
        raise ValidationError(errors)
    return text


def duty_report_hold(
    *,
    report: DutyReport,
    actor: User,
    expected_version: int | None,
    text: str,
    attendance: int | None,
    photos: Sequence[Any] = (),
) -> DutyReport:
    """Record a report that took place: its text, how many came, the photos (checked by
    content, re-encoded). Everything is checked first; a refusal writes nothing."""
    text = _record_check(text, attendance)
    cleaned = _photos_check(report, photos)
    with transaction.atomic():
        step = report_begin(
            report=report,
            action="hold",
            actor=actor,
            expected_version=expected_version,
            target=Status.HELD,
        )
        row = step.row
        row.text, row.attendance, row.held_at = text, attendance, timezone.now()
        for name, clean in cleaned:
            photo = DutyReportPhoto(
                report=row, original_name=name, content_type=clean.content_type, size=clean.size
            )
            photo.file.save(clean.random_name(), clean.as_file(), save=False)
            photo.save()
        step.finish(
            fields=["text", "attendance", "held_at"],
            kind=EventKind.HELD,
            data={"attendance": attendance, "photos": len(cleaned)},
        )
        # Held: the report now counts for the deputy's points (once this commits).
        points_sync_on_commit(
            deputy_ids=[row.deputy_id], on=timezone.localtime(row.starts_at).date()
        )
    return row


def duty_report_publish(
    *, report: DutyReport, actor: User, expected_version: int | None
) -> DutyReport:
    """Put the report's text and photos on the deputy's public page."""
    with transaction.atomic():
        step = report_begin(
            report=report,
            action="publish",
            actor=actor,
            expected_version=expected_version,
            target=Status.PUBLISHED,
        )
        step.row.published_at = timezone.now()
        step.finish(fields=["published_at"], kind=EventKind.PUBLISHED, notify=[clear_all])
    return step.row


def duty_report_sheet_printed(*, report: DutyReport, actor: User) -> None:
    """Record that someone printed the sheet of codes (who held the codes is worth knowing)."""
    with transaction.atomic():
        step = report_begin(report=report, action="sheet", actor=actor)
        step.event(EventKind.CODES_PRINTED)
        step.audit(EventKind.CODES_PRINTED, note=_("打印述职测评签到表"))
