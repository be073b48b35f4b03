"""Forms of the public phone pages: parsing only; the rules live in services.intake."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.cases import intake_spec as spec
from liaison.cases.intake_spec import INVALID_PHONE, MAX_IMAGES, TEXT_LIMITS
from liaison.cases.models import Rating
from liaison.cases.services.intake_checks import is_invalid_phone, text_length_problem
from liaison.common.text import SafeTextFormMixin
from liaison.common.widgets import FastHiddenInput, FastSelect

FIVE_LEVEL_CHOICES = [
    (5, _("非常满意")),
    (4, _("满意")),
    (3, _("基本满意")),
    (2, _("不满意")),
    (1, _("非常不满意")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Up to MAX_IMAGES files; their contents are checked by the intake service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_IMAGES:
            raise forms.ValidationError(
                _("最多上传 %(n)d 张图片") % {"n": MAX_IMAGES}, code="too_many"
            )
        return [super(MultipleImageField, self).clean(item, initial) for item in files if item]


class SubmissionTextField(forms.CharField):
    """A free-text field of a submission (title, content, place, name), on any form.

    No `maxlength` attribute: a browser cuts a longer paste silently and the person never learns
    that the end of their text is gone. The limit is the intake checks' (`TEXT_LIMITS`), checked
    here with their message so that it shows together with the form's other errors, and handed to
    the live counter (static/js/char_count.js) as data attributes with its Chinese wording.
    """

    def __init__(self, *, submission_field: str, counter: bool = False, **kwargs: Any) -> None:
        self.submission_field = submission_field
        self.limit = TEXT_LIMITS[submission_field]
        self.counter = counter
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.counter:
            attrs["data-char-limit"] = str(self.limit)
            # {n}, {limit}, {over}: filled in by the script (lazy texts, translated when rendered).
            attrs["data-char-text"] = _("已输入 {n} / {limit} 字")
            attrs["data-char-over"] = _("超出 {over} 字，请精简后再提交")
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = text_length_problem(self.submission_field, str(value or ""))
        if problem is not None:
            raise forms.ValidationError(problem, code="max_length")


class IntakeForm(SafeTextFormMixin, forms.Form):
    """The phone form: limits and choices from the intake request's declaration (intake_spec)."""

    station = forms.CharField(
        label=_("联络站"), required=False, max_length=spec.max_length("station_code")
    )
    deputy = forms.CharField(
        required=False, max_length=spec.max_length("deputy_code"), widget=FastHiddenInput
    )
    via = forms.CharField(required=False, max_length=8, widget=FastHiddenInput)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=spec.choices("kind"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择意见类型")},
    )
    title = SubmissionTextField(
        submission_field="title",
        counter=True,
        label=_("标题"),
        widget=forms.TextInput(attrs={"placeholder": _("一句话概括您反映的问题")}),
        error_messages={"required": _("请填写标题")},
    )
    content = SubmissionTextField(
        submission_field="content",
        counter=True,
        label=_("具体内容"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("请写明事情经过、诉求和建议")}),
        error_messages={"required": _("请填写内容")},
    )
    category = forms.TypedChoiceField(
        label=_("分类（可不选）"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,  # a hundred-odd options in groups: one string, not a template each
    )
    place = SubmissionTextField(
        submission_field="place",
        label=_("地点（可不填）"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：某小区东门")}),
    )
    images = MultipleImageField(label=_("图片（最多 6 张）"), required=False)
    contact_name = SubmissionTextField(
        submission_field="contact_name", label=_("姓名"), required=False
    )
    contact_phone = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=spec.max_length("contact_phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    is_anonymous = forms.BooleanField(label=_("匿名反映（不留姓名）"), required=False)
    allow_publish = forms.BooleanField(
        label=_("同意在民情回音墙公开（个人信息将脱敏处理）"), required=False
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护告知》"),
        error_messages={"required": _("请阅读并同意个人信息保护告知")},
    )
    client_token = forms.CharField(
        max_length=spec.max_length("client_token"), widget=FastHiddenInput
    )

    def clean_contact_phone(self) -> str:
        # The service checks it again; checked here as well so that a wrong number is shown
        # together with the form's other errors (say, consent), not on a second try.
        raw = str(self.cleaned_data.get("contact_phone") or "")
        if is_invalid_phone(raw):
            raise forms.ValidationError(INVALID_PHONE, code="invalid_phone")
        return raw

    def __init__(
        self,
        *args: Any,
        category_choices: list[tuple[str, list[tuple[int, str]]]] = (),  # type: ignore[assignment]
        station_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        # Choices as callables: read only when a submission is checked or the field is rendered
        # (a GET of the form usually serves its fields from a cached fragment, submit.html).
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = lambda: [("", _("不确定，由工作人员分类")), *category_choices]
        station = self.fields["station"]
        if station_choices is None:
            station.widget = FastHiddenInput()
        else:
            stations = station_choices
            station.widget = FastSelect(
                choices=lambda: [("", _("请选择联络站")), *stations]  # type: ignore[arg-type]
            )


class TrackForm(SafeTextFormMixin, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        error_messages={"required": _("请填写查询码")},
    )
    pin = forms.CharField(
        label=_("查询密码"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写查询密码")},
    )


class PinResendForm(SafeTextFormMixin, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        error_messages={"required": _("请填写查询码")},
    )
    phone = forms.CharField(
        label=_("提交时填写的手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号")},
    )


class OnRatingScale:
    """A form whose `rating` follows the jurisdiction's `rating_scale`: the three levels, or 1–5
    where it is "five". Cleaned, it gives what `case_evaluate` takes: `rating` (a level, "" on
    the five-level scale) and `score` (1–5, or None), so no view tells the scales apart."""

    fields: dict[str, forms.Field]
    scale: str

    def use_scale(self, scale: str, *, label: Any, widget: Any = None) -> None:
        self.scale = scale
        if scale == "five":
            extra = {} if widget is None else {"widget": widget}
            self.fields["rating"] = forms.TypedChoiceField(
                label=label, choices=FIVE_LEVEL_CHOICES, coerce=int, **extra
            )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        data["score"] = None
        if self.scale == "five" and "rating" in data:
            data["score"], data["rating"] = data["rating"], ""
        return data


class RatingForm(OnRatingScale, SafeTextFormMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("您对答复是否满意"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价意见（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=FastHiddenInput)

    def __init__(self, *args: Any, scale: str = "three", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_scale(scale, label=_("您对答复是否满意"), widget=forms.RadioSelect)
        self.fields["rating"].error_messages["required"] = _("请选择满意程度")
