"""The statuses, event kinds and answer choices of a suggestion."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")  # the deputy (or station staff) is writing it
    SUBMITTED = "submitted", _("待审查")  # numbered, waiting for the congress staff's review
    RETURNED = "returned", _("退回修改")  # staff sent it back to the deputy with a reason
    ACCEPTED = "accepted", _("待交办")  # accepted, waiting for the assignment to units
    MERGED = "merged", _("已并案")  # merged into a similar suggestion (the primary)
    ASSIGNED = "assigned", _("办理中")  # with the lead unit (and co-handling units)
    ANSWERED = "answered", _("已答复")  # the lead unit answered; the deputy rates it
    REHANDLING = "rehandling", _("重新办理")  # 不满意: answered again within a month
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")  # the deputy withdrew it before review


# The statuses in which a deadline runs (`Suggestion.due_on`) and the job flags it.
WATCHED_STATUSES: Final = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.REHANDLING)
OPEN_STATUSES: Final = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.ANSWERED,
    Status.REHANDLING,
)


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人建议")
    JOINT = "joint", _("联名建议")


class DueState(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("逾期")


class Grade(models.TextChoices):
    A = "A", _("A类（已解决或采纳）")
    B = "B", _("B类（正在解决或列入计划）")
    C = "C", _("C类（因条件限制暂不能解决）")


class Contact(models.TextChoices):
    MEETING = "meeting", _("面商")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("走访")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    # Set by the worker, never chosen: the rating window passed without a rating (decision 0040).
    UNRATED = "unrated", _("未评价")


# What a deputy may choose.
RATINGS_CHOSEN: Final = (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED)


class EventKind(models.TextChoices):
    CREATED = "created", _("起草")
    EDITED = "edited", _("修改")
    COSIGN_INVITED = "cosign_invited", _("邀请附议")
    COSIGNED = "cosigned", _("确认附议")
    COSIGN_DECLINED = "cosign_declined", _("拒绝附议")
    SUBMITTED = "submitted", _("提交")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("立案")
    MERGED = "merged", _("并案")
    MERGED_IN = "merged_in", _("并入建议")
    WITHDRAWN = "withdrawn", _("撤回")
    ASSIGNED = "assigned", _("交办")
    REASSIGNED = "reassigned", _("重新交办")
    RETURN_REQUESTED = "return_requested", _("申请退回")
    RETURN_REFUSED = "return_refused", _("不同意退回")
    COMPLEX = "complex", _("批准为复杂建议")
    CO_VIEW = "co_view", _("协办意见")
    CONTACTED = "contacted", _("联系代表")
    ANSWERED = "answered", _("答复")
    RATED = "rated", _("代表评价")
    CLOSED = "closed", _("办结")
    PRIORITY = "priority", _("列为重点督办")
    PUBLICATION = "publication", _("公开设置")
    YELLOW = "yellow", _("黄色督办")
    RED = "red", _("红色督办")
    PROMISE_DUE = "promise_due", _("承诺期限已到")
    UNRATED = "unrated", _("逾期未评价办结")
