"""Choices of the case loop: kinds, channels, statuses, ratings, event kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class Channel(models.TextChoices):
    QR = "qr", _("扫码")
    WEB = "web", _("网站")
    RECEPTION = "reception", _("代表接待")
    HOTLINE = "hotline_12345", _("12345 热线")
    LETTER_BOX = "letter_box", _("意见箱")
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    PAPER = "paper", _("纸质表单")
    API = "api", _("系统接口")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")  # waiting for a station to accept or decline
    ACCEPTED = "accepted", _("已受理")  # accepted, waiting to be assigned or answered
    FORWARDED = "forwarded", _("已转上级")  # handed up to a higher congress, awaiting acceptance
    ASSIGNED = "assigned", _("办理中")  # with a handling unit or deputy, reply due
    REPLIED = "replied", _("已答复")  # answered; the station relays it and asks for a rating
    EVALUATED = "evaluated", _("已评价")  # rated satisfied / basically satisfied
    CLOSED = "closed", _("已办结")  # the loop is finished
    DECLINED = "declined", _("不予受理")  # with a reason told to the person
    MERGED = "merged", _("已合并")  # a duplicate, followed through its primary case
    WITHDRAWN = "withdrawn", _("已撤回")  # withdrawn by the person


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.FORWARDED, Status.ASSIGNED, Status.REPLIED}
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.DECLINED, Status.MERGED, Status.WITHDRAWN})


class DeclineReason(models.TextChoices):
    LITIGATION = "litigation", _("已进入诉讼、仲裁等法定程序")
    OUTSIDE_REMIT = "outside_remit", _("不属于人大代表联络站受理范围")
    REPEAT = "repeat", _("重复反映且无新的事实和理由")
    INSUFFICIENT = "insufficient", _("内容不明确，无法办理")
    OTHER = "other", _("其他")


class Rating(models.TextChoices):
    # Three-level scale (默认); five-level 好差评 maps onto it for the KPIs.
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class DueState(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("逾期")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    ACCEPTED = "accepted", _("受理")
    DECLINED = "declined", _("不予受理")
    ANSWERED_ON_SPOT = "answered_on_spot", _("当场答复")
    ASSIGNED = "assigned", _("交办")
    REASSIGNED = "reassigned", _("重新交办")
    FORWARDED = "forwarded", _("转上级人大")
    CO_OPINION = "co_opinion", _("协办意见")
    REPLIED = "replied", _("答复")
    RELAYED = "relayed", _("告知群众")
    EVALUATED = "evaluated", _("评价")
    REOPENED = "reopened", _("不满意重办")
    CLOSED = "closed", _("办结")
    MERGED = "merged", _("合并")
    UNMERGED = "unmerged", _("撤销合并")
    WITHDRAWN = "withdrawn", _("撤回")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_DECIDED = "extension_decided", _("延期审批")
    SUPERVISED = "supervised", _("督办")
    DUE_WARNING = "due_warning", _("临期预警")
    OVERDUE = "overdue", _("逾期")
    CATEGORIZED = "categorized", _("调整分类")
    NOTE = "note", _("备注")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("查看个人信息")


# Events the constituent sees on the tracking page; the rest are internal.
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.DECLINED,
        EventKind.ANSWERED_ON_SPOT,
        EventKind.ASSIGNED,
        EventKind.REASSIGNED,
        EventKind.FORWARDED,
        EventKind.REPLIED,
        EventKind.EVALUATED,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.MERGED,
        EventKind.UNMERGED,
        EventKind.WITHDRAWN,
    }
)
