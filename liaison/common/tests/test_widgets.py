"""FastSelect renders what Django's Select renders (flat choices), as one string."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from liaison.common.widgets import FastSelect
from liaison.regions.models import Region


def _options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, bool(mark), label) for value, mark, label in found]


@pytest.mark.parametrize("value", ["b", None, "", ["a", "b"]])
def test_same_options_as_django_select(value: Any) -> None:
    choices = [("", "全部"), ("a", "甲 <乙>"), ("b", "丙 & 丁")]
    fast = FastSelect(choices=choices).render("f", value, attrs={"id": "id_f"})
    slow = forms.Select(choices=choices).render("f", value, attrs={"id": "id_f"})
    assert _options(fast) == _options(str(slow).replace("\n", ""))
    assert fast.startswith('<select id="id_f" name="f">') and "&lt;乙&gt;" in fast


@pytest.mark.django_db
def test_model_choices_select_the_primary_key(hunan: None) -> None:
    codes = list(Region.objects.filter(code__startswith="430104").order_by("code")[:3])

    class Form(forms.Form):
        region = forms.ModelChoiceField(
            queryset=Region.objects.filter(pk__in=[r.pk for r in codes]).order_by("code"),
            widget=FastSelect,
            required=False,
        )

    code = codes[1].code
    form = Form({"region": code})
    assert form.is_valid()
    options = _options(str(form["region"]))
    assert [o for o in options if o[1]] == [(code, True, str(Region.objects.get(pk=code)))]
    assert options[0][:2] == ("", False)  # the empty choice, not selected
