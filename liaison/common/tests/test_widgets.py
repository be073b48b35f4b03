"""FastSelect renders what Django's Select renders (flat choices), as one string."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from liaison.common.widgets import FastHiddenInput, FastSelect
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
    assert fast.startswith('<select id="id_f" name="f">')
    assert "&lt;乙&gt;" in fast


@pytest.mark.parametrize("value", ["qr", 'a "quoted" <b> & c', None, "", 0, 7])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f"}, {"id": "id_f", "data-x": True, "data-y": False, "z": "<"}]
)
def test_hidden_input_writes_what_django_writes(value: Any, attrs: Any) -> None:
    fast = FastHiddenInput().render("f", value, attrs=attrs)
    slow = forms.HiddenInput().render("f", value, attrs=attrs)
    assert fast == str(slow).strip()


def test_hidden_input_in_a_form_keeps_its_id_and_value() -> None:
    class F(forms.Form):
        token = forms.CharField(widget=FastHiddenInput, initial="a&b")
        plain = forms.CharField(widget=forms.HiddenInput, initial="a&b")

    form = F()
    assert str(form["token"]) == str(form["plain"]).replace("plain", "token")
    assert 'value="a&amp;b"' in str(form["token"])


def _groups(html: str) -> list[tuple[str, list[tuple[str, bool, str]]]]:
    """Each `<optgroup>` (label "" for options outside any group) with its options, in order."""
    group = r'(?:<optgroup label="([^"]*)">(.*?)</optgroup>)'
    found = re.findall(group + r"|(<option [^>]*>[^<]*</option>)", html)
    return [(label, _options(inner)) if not single else ("", _options(single))
            for label, inner, single in found]  # fmt: skip


GROUPED = [
    ("", "不确定"),
    ("城建 <环保>", [(1, "城建（其他）"), (2, "道路 & 交通")]),
    ("教育", [(3, "学校"), (2, "道路 & 交通")]),  # a value twice: only its first option is marked
    ("空组", []),
]


@pytest.mark.parametrize("value", [2, "3", None, ""])
def test_option_groups_as_django_select(value: Any) -> None:
    fast = FastSelect(choices=GROUPED).render("c", value, attrs={"id": "id_c"})
    slow = str(forms.Select(choices=GROUPED).render("c", value, attrs={"id": "id_c"}))
    assert _groups(fast) == _groups(slow.replace("\n", ""))
    assert '<optgroup label="城建 &lt;环保&gt;">' in fast  # the group label is escaped
    assert "道路 &amp; 交通" in fast
    # One option marked, the empty one for no value, even where a value stands twice.
    assert sum(1 for _l, options in _groups(fast) for o in options if o[1]) == 1


def test_option_groups_on_a_multiple_select_mark_every_match() -> None:
    from liaison.common.widgets import FastSelectMultiple

    html = FastSelectMultiple(choices=GROUPED).render("c", ["2", "3"])
    marked = [o for _label, options in _groups(html) for o in options if o[1]]
    assert [o[0] for o in marked] == ["2", "3", "2"]
    assert html.startswith('<select name="c" multiple>')


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


@pytest.mark.django_db
def test_rows_choice_field_renders_like_the_model_field(hunan: None) -> None:
    """Same options and selection as a ModelChoiceField, from one values query; the chosen
    value is still checked against the queryset."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.common.widgets import RowsChoiceField
    from liaison.deputies.forms import RegionChoiceField

    regions = Region.objects.filter(code__startswith="430104").order_by("code")
    chosen = regions[2].code

    class Form(forms.Form):
        plain = forms.ModelChoiceField(queryset=regions, empty_label="全部", widget=FastSelect)
        rows = RowsChoiceField(queryset=regions, empty_label="全部", widget=FastSelect)
        labelled = RegionChoiceField(queryset=regions, required=False)

    form = Form({"plain": chosen, "rows": chosen, "labelled": "430000000000"})
    # the province is not offered
    assert not form.is_valid()
    assert "labelled" in form.errors
    with CaptureQueriesContext(connection) as ctx:
        rows = _options(str(form["rows"]))
    assert len(ctx.captured_queries) == 1
    assert "SELECT" in ctx.captured_queries[0]["sql"]
    assert rows == _options(str(form["plain"]))
    assert ("", False, "全部") in rows
    assert (chosen, True, regions[2].name) in rows

    first = regions[0]
    labelled = str(form["labelled"])
    assert f"{first.name}（{first.get_level_display()}·{first.code}）" in labelled
    assert form.cleaned_data["rows"] == regions[2]


# --- cached option rows (issue 16) --------------------------------------------------------------


def test_cached_option_rows_never_cross_scopes(hunan: None, settings: Any) -> None:
    from liaison.common.hotcache import clear_all
    from liaison.common.widgets import option_rows
    from liaison.regions.models import Region

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    try:
        yuelu = Region.objects.filter(code__startswith="430104", level="township")
        county = Region.objects.filter(code__startswith="430121", level="township")
        first = option_rows(yuelu, ("pk", "name"))
        second = option_rows(county, ("pk", "name"))
        # The same filter with another value is another entry: no scope sees another's options.
        assert first
        assert second
        assert set(first).isdisjoint(second)
        assert option_rows(yuelu, ("pk", "name")) == first
    finally:
        clear_all()


def test_cached_option_rows_are_read_once_while_fresh(
    hunan: None, settings: Any, django_assert_num_queries: Any
) -> None:
    from liaison.common.hotcache import clear_all
    from liaison.common.widgets import option_rows
    from liaison.regions.models import Region

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    try:
        towns = Region.objects.filter(code__startswith="430104", level="township")
        with django_assert_num_queries(1):
            option_rows(towns, ("pk", "name"))
            option_rows(towns.all(), ("pk", "name"))
        clear_all()  # what a service does after a change
        with django_assert_num_queries(1):
            option_rows(towns, ("pk", "name"))
    finally:
        clear_all()


def test_a_unit_renamed_shows_at_once_in_this_process(
    county_staff: Any, yuelu: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from liaison.cases.forms_staff import BulkAssignForm
    from liaison.common.hotcache import clear_all
    from liaison.units import services
    from liaison.units.models import HandlingUnit

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    try:
        unit = HandlingUnit.objects.create(region=yuelu, name="旧名称局")
        units = HandlingUnit.objects.filter(region=yuelu)
        assert "旧名称局" in str(BulkAssignForm(units=units)["unit"])
        with django_capture_on_commit_callbacks(execute=True):
            services.unit_update(actor=county_staff, unit=unit, name="新名称局")
        assert "新名称局" in str(BulkAssignForm(units=units)["unit"])
    finally:
        clear_all()


# --- option lists rendered once (decision 0046) -------------------------------------------------


def _count_builds(monkeypatch: Any) -> list[int]:
    from liaison.common import widgets

    built: list[int] = []
    original = widgets.RenderedOptions.build

    def counted(choices: Any) -> Any:
        built.append(1)
        return original(choices)

    monkeypatch.setattr(widgets.RenderedOptions, "build", staticmethod(counted))
    return built


def test_rendered_options_are_kept_per_rows_label_empty_choice_and_language(
    hunan: None, settings: Any, monkeypatch: Any
) -> None:
    from django.utils import translation

    from liaison.common.hotcache import clear_all
    from liaison.common.widgets import RowsChoiceField
    from liaison.deputies.forms import RegionChoiceField

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    built = _count_builds(monkeypatch)
    yuelu = Region.objects.filter(code__startswith="430104", level="township").order_by("code")
    county = Region.objects.filter(code__startswith="430121", level="township").order_by("code")

    class Form(forms.Form):
        a = RowsChoiceField(queryset=yuelu, empty_label="全部", required=False)
        b = RowsChoiceField(queryset=county, empty_label="全部", required=False)
        c = RowsChoiceField(queryset=yuelu, empty_label="请选择", required=False)
        d = RegionChoiceField(queryset=yuelu, required=False)

    try:
        first = Form({"a": yuelu[1].code})
        a, b, c, d = (str(first[name]) for name in "abcd")
        assert len(built) == 4  # one per list of rows, labels and empty choice
        assert yuelu[0].name in a and yuelu[0].name not in b  # another scope, other options
        assert county[0].name in b and county[0].name not in a
        assert ("", False, "全部") in _options(a) and ("", True, "请选择") in _options(c)
        assert "（" in d and "（" not in a  # another field class labels the same rows its way
        again = Form({"a": yuelu[2].code})
        assert [o[0] for o in _options(str(again["a"])) if o[1]] == [yuelu[2].code]
        assert [o[0] for o in _options(a) if o[1]] == [yuelu[1].code]
        assert len(built) == 4
        with translation.override("en"):
            str(Form()["a"])
        assert len(built) == 5  # another language is rendered on its own
        clear_all()  # what a service does after a change
        str(Form()["a"])
        assert len(built) == 6
    finally:
        clear_all()


def test_rendered_multiple_select_marks_every_choice(hunan: None, settings: Any) -> None:
    from liaison.common.hotcache import clear_all
    from liaison.common.widgets import RowsMultipleChoiceField

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    towns = Region.objects.filter(code__startswith="430104", level="township").order_by("code")

    class Form(forms.Form):
        many = RowsMultipleChoiceField(queryset=towns, required=False)

    try:
        chosen = [towns[0].code, towns[2].code]
        html = str(Form({"many": chosen})["many"])
        assert [o[0] for o in _options(html) if o[1]] == chosen
        assert "multiple" in html
        assert not [o for o in _options(str(Form()["many"])) if o[1]]
    finally:
        clear_all()


def test_assign_form_deputies_follow_the_viewer_scope_when_cached(
    station: Any, station_officer: Any, county_staff: Any, settings: Any
) -> None:
    from liaison.cases.models import Status
    from liaison.cases.tests.factories import case_in
    from liaison.cases.views_staff.actions import _assign_form
    from liaison.common.hotcache import clear_all
    from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory

    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    try:
        seated = SeatFactory(deputy=DeputyFactory(name="区代表甲", home_region_id="430000000000"))
        at_station = StationDeputyFactory(station=station, deputy=DeputyFactory(name="站代表乙"))
        case = case_in(Status.ACCEPTED, station=station, region_id=station.region_id)
        county_html = str(_assign_form(county_staff, case, None, None)["deputy"])
        officer_html = str(_assign_form(station_officer, case, None, None)["deputy"])
        assert seated.deputy.name in county_html and at_station.deputy.name in county_html
        assert at_station.deputy.name in officer_html
        assert seated.deputy.name not in officer_html
        form = _assign_form(station_officer, case, {"deputy": seated.deputy.pk}, None)
        assert not form.is_valid()
        assert "deputy" in form.errors
    finally:
        clear_all()
