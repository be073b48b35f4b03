from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from liaison.regions.models import Region


@pytest.mark.django_db
def test_empty_choice_label_is_chinese(hunan: None) -> None:
    """Django 6.1's new empty label has no zh_Hans translation upstream; we ship one."""

    class Pick(forms.Form):
        region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)

    with translation.override("zh-hans"):
        html = str(Pick()["region"])
    assert "请选择" in html
    assert "Select an option" not in html
