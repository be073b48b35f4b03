from __future__ import annotations

import datetime
from typing import Any, Final

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.accounts.selectors import audit_events_visible_to
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.selectors import (
    audit_events_filter,
    audit_object_types,
    audit_rows,
    audit_type_label,
)
from liaison.audit.services import audit_record
from liaison.common.exports import Column, Table, export_filename, export_stream, table_csv_lines
from liaison.common.paging import paginate
from liaison.common.text import SafeTextFormMixin

EXPORT_LIMIT = 100_000


class AuditFilterForm(SafeTextFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("操作"), choices=[("", _("全部")), *AuditAction.choices], required=False
    )
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    object_type = forms.ChoiceField(
        label=_("对象类型"),
        required=False,
        error_messages={"invalid_choice": _("请选择列表中的对象类型。")},
        widget=forms.Select(attrs={"data-searchable": _("输入对象类型筛选")}),
    )
    # Set by the "该对象的全部记录" link of a row; kept while other filters change.
    object_id = forms.CharField(
        label=_("对象编号"), required=False, max_length=50, widget=forms.HiddenInput
    )
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["object_type"]
        field.choices = [("", _("全部")), *audit_object_types()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


def _filtered(request: AuthedHttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    qs = audit_events_visible_to(request.user)
    if form.is_valid():
        qs = audit_events_filter(qs, **form.cleaned_data)
    return form, qs


@staff_required(Capability.VIEW_AUDIT)
def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    context = paginate(request, qs, per_page=50)
    context.update(form=form, rows=audit_rows(context["page_obj"].object_list))
    return render(request, "staff/audit/list.html", context)


def _local(at: datetime.datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# The official columns of the audit log export, in the order auditors have always received.
AUDIT_COLUMNS: Final[tuple[Column[AuditEvent], ...]] = (
    Column("时间", lambda e: _local(e.at), width=20),
    Column("操作人", lambda e: e.actor_label, width=16),
    Column("操作", lambda e: e.get_action_display(), width=10),
    Column("对象类型", lambda e: audit_type_label(e.object_type), width=14),
    Column("对象编号", lambda e: e.object_id, width=12),
    Column("对象", lambda e: e.object_label, width=24),
    Column("区划代码", lambda e: e.region_code, width=14),
    Column("修改前", lambda e: e.before or "", width=30),
    Column("修改后", lambda e: e.after or "", width=30),
    Column("说明", lambda e: e.note, width=40),
    Column("IP", lambda e: e.ip or "", width=16),
)


@staff_required(Capability.VIEW_AUDIT)
def audit_export(request: AuthedHttpRequest) -> StreamingHttpResponse:
    _form, qs = _filtered(request)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="audit.auditevent",
        note=f"导出审计日志：{request.GET.urlencode()}"[:500],
    )
    # The log is the record itself: nothing in it is masked.
    table = Table(
        columns=AUDIT_COLUMNS, rows=qs[:EXPORT_LIMIT].iterator(chunk_size=2000), mask=False
    )
    name = export_filename("审计日志", extension="csv", date_to=timezone.localdate())
    return export_stream(table_csv_lines(table), filename=name)
