"""Forms of the points pages: they parse; the rules are in the services and selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.text import SafeTextFormMixin

QUARTERS = [
    (0, _("全年")),
    (1, _("第一季度")),
    (2, _("第二季度")),
    (3, _("第三季度")),
    (4, _("第四季度")),
]


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}") for y in range(this, this - 6, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


class RankingForm(SafeTextFormMixin, YearForm):
    quarter = forms.TypedChoiceField(label=_("期间"), coerce=int, choices=QUARTERS, required=False)
    # A plain value ("r:<code>" / "s:<station id>"): the page offers the user's scopes and says
    # in Chinese why it shows nothing for one they do not hold (scoping.scope_from_value).
    scope = forms.CharField(label=_("范围"), required=False, max_length=40)


class BulletinExportForm(RankingForm):
    """What the bulletin page's export buttons send: the period and scope shown, and a format.
    All are required: a file is never made of a period or scope the page did not show."""

    format = forms.ChoiceField(choices=[("xlsx", "Excel"), ("docx", "Word")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year", "quarter", "scope"):
            self.fields[name].required = True
        self.fields["quarter"].choices = QUARTERS[1:]  # type: ignore[attr-defined]


class CorrectionForm(SafeTextFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=QUARTERS[1:])
    points = forms.CharField(
        label=_("积分（正数加分，负数扣分）"), max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("更正原因"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]
