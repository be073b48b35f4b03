"""A person present rates a report with a one-time code from the sign-in sheet (decision 0034).

The code is consumed by one conditional UPDATE (`used_at IS NULL` → now): of two submissions of
the same code at the same moment exactly one changes a row, the other is told the code was used.
The rating's one-to-one on the code is the second lock, in the schema.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.text import text_problem
from liaison.dutyreports.codes import CODE_DIGITS, code_hash, code_normalise
from liaison.dutyreports.models import DutyReport, Rating, RatingCode, Status, Verdict

MAX_COMMENT = 300

USED = "used"
CLOSED = "closed"


def _window_check(report: DutyReport) -> None:
    now = timezone.now()
    if report.status == Status.CANCELLED:
        raise ValidationError(_("本场述职已取消，不能测评。"), code=CLOSED)
    if now < report.starts_at:
        raise ValidationError(_("述职会尚未开始，开始后才能测评。"), code=CLOSED)
    if now >= report.rating_closes_at:
        closed = timezone.localtime(report.rating_closes_at)
        raise ValidationError(
            _("本场述职的满意度测评已于 %(at)s 截止，感谢您的关注。")
            % {"at": date_format(closed, "Y年n月j日 H:i")},
            code=CLOSED,
        )


def _input_check(code: str, verdict: str, comment: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    digits = code_normalise(code)
    if len(digits) != CODE_DIGITS:
        errors["code"] = _("测评码为签到表上的 8 位数字，请核对后重新输入。")
    if verdict not in Verdict.values:
        errors["verdict"] = _("请选择满意、基本满意或不满意。")
    comment = comment.strip()
    problem = text_problem(comment, label=_("意见"), multiline=True) if comment else None
    if len(comment) > MAX_COMMENT:
        problem = _("意见不能超过 %(n)d 个字。") % {"n": MAX_COMMENT}
    if problem:
        errors["comment"] = problem
    if errors:
        raise ValidationError(errors)
    return digits, comment


def duty_report_rate(*, report: DutyReport, code: str, verdict: str, comment: str = "") -> Rating:
    """One rating with one code. ValidationError, nothing written: outside the window, a wrong
    code, a code already used (a second rating), bad input."""
    _window_check(report)
    digits, comment = _input_check(code, verdict, comment)
    hashed = code_hash(report.token, digits)
    now = timezone.now()
    used_message = _("该测评码已使用。每人只能测评一次，您的测评已记录，感谢参与！")
    try:
        with transaction.atomic():
            codes = RatingCode.objects.filter(report=report, code_hash=hashed)
            if codes.filter(used_at__isnull=True).update(used_at=now) != 1:
                if codes.exists():
                    raise ValidationError({"code": used_message}, code=USED)
                raise ValidationError({"code": _("测评码不正确，请核对签到表上的号码。")})
            rating = Rating.objects.create(
                report=report, code=codes.get(), verdict=verdict, comment=comment
            )
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                obj=rating,
                region_code=report.region_id,
                note=_("述职满意度测评"),
            )
    except IntegrityError as error:
        # The other submission of this code won between our update and insert.
        raise ValidationError({"code": used_message}, code=USED) from error
    return rating
