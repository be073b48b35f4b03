"""Forms of the suggestion pages: parsing and field checks only (the rules are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case
from liaison.common.text import SafeTextFormMixin
from liaison.deputies.models import Deputy
from liaison.stations.models import Station
from liaison.suggestions.models import (
    RATINGS_CHOSEN,
    CongressSession,
    Contact,
    DueState,
    Grade,
    Kind,
    Status,
)
from liaison.taxonomy.categories import category_choices
from liaison.units.models import HandlingUnit

DATE = forms.DateInput(attrs={"type": "date"})


class DraftForm(SafeTextFormMixin, forms.Form):
    session = forms.ModelChoiceField(label=_("提交至"), queryset=CongressSession.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.INDIVIDUAL)
    title = forms.CharField(label=_("标题"), max_length=100)
    problem = forms.CharField(label=_("存在的问题"), widget=forms.Textarea, required=False)
    analysis = forms.CharField(label=_("原因分析"), widget=forms.Textarea, required=False)
    proposal = forms.CharField(label=_("具体建议"), widget=forms.Textarea, required=False)
    category = forms.TypedChoiceField(label=_("分类"), coerce=int, required=False, empty_value=None)
    cases = forms.ModelMultipleChoiceField(
        label=_("来源：群众意见"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        sessions: QuerySet[CongressSession],
        cases: QuerySet[Case] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        session_field: Any = self.fields["session"]
        session_field.queryset = sessions
        if not self.is_bound and "session" not in self.initial:
            # Most often one session is receiving suggestions: chosen for the writer (a phone's
            # select is one more tap); with several, they choose.
            open_now = list(sessions.values_list("pk", flat=True)[:2])
            if len(open_now) == 1:
                self.initial["session"] = open_now[0]
        category: Any = self.fields["category"]
        category.choices = [("", _("请选择分类")), *category_choices()]
        cases_field: Any = self.fields["cases"]
        if cases is None:
            del self.fields["cases"]
        else:
            cases_field.queryset = cases
            cases_field.label_from_instance = lambda c: f"{c.tracking_code} {c.title}"


class EditForm(DraftForm):
    """The same fields, without the session (fixed once drafted)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, sessions=CongressSession.objects.none(), **kwargs)
        del self.fields["session"]


class HelpDraftForm(DraftForm):
    """Station staff start a draft for a deputy of their station (the deputy submits it)."""

    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    author = forms.ModelChoiceField(label=_("代表"), queryset=Deputy.objects.none())
    field_order = ["station", "author", "session"]

    def __init__(
        self, *args: Any, stations: QuerySet[Station], deputies: QuerySet[Deputy], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        station: Any = self.fields["station"]
        station.queryset = stations
        author: Any = self.fields["author"]
        author.queryset = deputies
        author.label_from_instance = lambda d: d.name


class SourceForm(SafeTextFormMixin, forms.Form):
    """One source to add from the draft page's pickers (the value of the chosen option)."""

    case = forms.IntegerField(required=False)
    hot_topic = forms.RegexField(regex=r"^\d+:\d+$", required=False)
    reception = forms.IntegerField(required=False)
    activity = forms.IntegerField(required=False)


class InviteForm(SafeTextFormMixin, forms.Form):
    deputy = forms.ModelChoiceField(label=_("附议代表"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, deputies: QuerySet[Deputy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["deputy"]
        field.queryset = deputies


class ReasonForm(SafeTextFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(SafeTextFormMixin, forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ViewForm(SafeTextFormMixin, forms.Form):
    view = forms.CharField(label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 4}))


class MergeForm(SafeTextFormMixin, forms.Form):
    into = forms.IntegerField(label=_("并入建议"), widget=forms.HiddenInput)


class AssignForm(SafeTextFormMixin, forms.Form):
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=HandlingUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[HandlingUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead", "co_units"):
            field: Any = self.fields[name]
            field.queryset = units


class ContactForm(SafeTextFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("沟通方式"), choices=Contact.choices)
    on = forms.DateField(label=_("沟通日期"), widget=DATE)


class AnswerForm(SafeTextFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label=_("办理类别"), choices=[("", "—"), *Grade.choices], required=False
    )
    answer = forms.CharField(
        label=_("答复摘要"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    promised_on = forms.DateField(label=_("承诺解决日期（B类）"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("暂不能解决的理由（C类）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    letter = forms.FileField(label=_("正式答复函（PDF）"), required=False)


class RateForm(SafeTextFormMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("评价"),
        choices=[(r.value, r.label) for r in RATINGS_CHOSEN],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PriorityForm(SafeTextFormMixin, forms.Form):
    leader = forms.CharField(label=_("督办领导"), max_length=50)
    deputies = forms.CharField(label=_("参与督办代表"), max_length=200, required=False)


class AllowForm(SafeTextFormMixin, forms.Form):
    allow = forms.TypedChoiceField(
        label=_("公开"),
        choices=[("1", _("同意公开")), ("0", _("不公开"))],
        coerce=lambda v: v == "1",
    )


class ConfirmForm(SafeTextFormMixin, forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("是否附议"),
        choices=[("1", _("确认附议")), ("0", _("不附议"))],
        coerce=lambda v: v == "1",
    )


class EmptyForm(SafeTextFormMixin, forms.Form):
    pass


class QueueForm(SafeTextFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False
    )
    due_state = forms.ChoiceField(
        label=_("督办"),
        choices=[("", _("全部")), (DueState.YELLOW, _("临期")), (DueState.RED, _("逾期"))],
        required=False,
    )
    priority = forms.BooleanField(label=_("重点督办"), required=False)
    category = forms.TypedChoiceField(label=_("分类"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("标题"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category: Any = self.fields["category"]
        category.choices = [("", _("全部")), *category_choices()]


class FileForm(forms.Form):
    """The report page's buttons: the session (among the user's) and category it shows."""

    session = forms.ModelChoiceField(
        queryset=CongressSession.objects.none(),
        error_messages={
            "required": _("请选择会次。"),
            "invalid_choice": _("该会次不在您的辖区，请在办理情况报告页重新选择。"),
        },
    )
    category = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("所选分类不存在，请在办理情况报告页重新选择。")},
    )

    def __init__(self, *args: Any, sessions: QuerySet[CongressSession], **kw: Any) -> None:
        super().__init__(*args, **kw)
        session: Any = self.fields["session"]
        session.queryset = sessions
        category: Any = self.fields["category"]
        category.choices = [("", ""), *category_choices()]
