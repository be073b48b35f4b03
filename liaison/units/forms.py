"""Forms of the handling-unit pages: parsing only, the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.common.text import SafeTextFormMixin
from liaison.stations.forms import RegionCodeField
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit, UnitKind


class UnitForm(SafeTextFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    region = RegionCodeField(label=_("所属辖区"), help_text=_("12 位区划代码，如 430104000000"))
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    @classmethod
    def initial_for(cls, unit: HandlingUnit) -> dict[str, Any]:
        return {
            "name": unit.name,
            "kind": unit.kind,
            "region": unit.region_id,
            "contact_name": unit.contact_name,
            "contact_phone": unit.contact_phone,
        }


class UnitFilterForm(SafeTextFormMixin, forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *UnitKind.choices]
    )
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("1", _("启用")), ("0", _("已停用"))],
    )


class RoutingRuleForm(SafeTextFormMixin, forms.Form):
    region = RegionCodeField(label=_("案件所属区划"), help_text=_("该区划及其下级区划的案件"))
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("（全部分类）"),
    )

    def __init__(self, *args: Any, categories: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = categories
        field.empty_label = _("（全部分类）")


class UnitStaffForm(SafeTextFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名的在用账号。"))
        return user
