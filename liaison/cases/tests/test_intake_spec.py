"""The declaration of the intake request (`intake_spec.FIELDS`) and every face derived from it:
the OpenAPI schema, the public API's parser, the phone and staff forms and the 12345 import
agree on every field's limit, requiredness and choices."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from django import forms
from django.test import Client

from liaison.accounts.models import User
from liaison.cases import forms_h5, forms_staff
from liaison.cases.api_input import parse_case_in
from liaison.cases.importing.checking import check_table
from liaison.cases.importing.columns import COLUMNS
from liaison.cases.intake_spec import FIELDS, TEXT_LIMITS, FieldType, IntakeField
from liaison.cases.models import Kind

TEXTS = [f for f in FIELDS if f.type is FieldType.TEXT]
# The form field that carries each field of the request, where it is not named alike.
H5_NAMES = {"station_code": "station", "deputy_code": "deputy"}
STAFF_FIELDS = ("kind", "title", "content", "place", "contact_name", "contact_phone")
GOOD = {"station_code": "S2345678", "kind": "help", "title": "路灯", "content": "路灯坏了"}


@cache
def _schema() -> dict[str, Any]:
    return dict(Client().get("/api/schema/?format=json").json())


def _request_body() -> dict[str, Any]:
    schema = _schema()
    ref = schema["paths"]["/api/v1/public/cases"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    return dict(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]])


def _enum(prop: dict[str, Any]) -> list[str]:
    ref = prop["allOf"][0]["$ref"] if "allOf" in prop else prop["$ref"]
    return list(_schema()["components"]["schemas"][ref.rsplit("/", 1)[-1]]["enum"])


def _text(field: IntakeField, length: int) -> str:
    return ("1" if field.name == "contact_phone" else "字") * length


def test_the_schema_documents_every_field_as_declared() -> None:
    body = _request_body()
    assert list(body["properties"]) == [f.name for f in FIELDS]
    assert set(body["required"]) == {f.name for f in FIELDS if f.required}
    for field in FIELDS:
        prop = body["properties"][field.name]
        assert prop.get("maxLength") == field.max_length, field.name
        if field.type is FieldType.CHOICE:
            assert _enum(prop) == [value for value, _label in field.choices]
        if field.type is FieldType.BOOL:
            assert prop["type"] == "boolean"
            assert prop["default"] is field.default, field.name


@pytest.mark.parametrize("field", TEXTS, ids=lambda f: f.name)
def test_the_parser_takes_the_declared_length_and_refuses_one_more(field: IntakeField) -> None:
    assert field.max_length is not None
    clean, errors = parse_case_in({**GOOD, field.name: _text(field, field.max_length)})
    assert field.name not in errors
    assert clean[field.name] == _text(field, field.max_length)
    _clean, errors = parse_case_in({**GOOD, field.name: _text(field, field.max_length + 1)})
    assert field.name in errors


def test_the_parser_requires_what_is_declared_required() -> None:
    for field in FIELDS:
        body = {k: v for k, v in GOOD.items() if k != field.name}
        _clean, errors = parse_case_in(body)
        assert (field.name in errors) is field.required, field.name


def test_the_parser_takes_the_declared_choices_and_defaults() -> None:
    for value in Kind.values:
        assert parse_case_in({**GOOD, "kind": value})[0]["kind"] == value
    clean, _errors = parse_case_in(GOOD)
    for field in FIELDS:
        if field.type is FieldType.BOOL:
            assert clean[field.name] is field.default, field.name


def _agrees(form_field: forms.Field, field: IntakeField) -> None:
    """The form field takes the declared longest value and refuses one character more."""
    assert field.max_length is not None
    form_field.clean(_text(field, field.max_length))
    with pytest.raises(forms.ValidationError):
        form_field.clean(_text(field, field.max_length + 1))


@pytest.mark.parametrize("field", TEXTS, ids=lambda f: f.name)
def test_the_phone_form_takes_the_declared_lengths(field: IntakeField) -> None:
    form_field = forms_h5.IntakeForm().fields[H5_NAMES.get(field.name, field.name)]
    _agrees(form_field, field)


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_FIELDS[1:])
def test_the_staff_form_takes_the_declared_lengths(name: str) -> None:
    from liaison.stations.models import Station
    from liaison.taxonomy.models import Category

    form = forms_staff.IntakeForm(
        stations=Station.objects.none(), categories=Category.objects.none()
    )
    _agrees(form.fields[name], next(f for f in FIELDS if f.name == name))


@pytest.mark.django_db
def test_both_forms_offer_the_declared_kinds() -> None:
    from liaison.stations.models import Station
    from liaison.taxonomy.models import Category

    staff = forms_staff.IntakeForm(
        stations=Station.objects.none(), categories=Category.objects.none()
    )
    kind = next(f for f in FIELDS if f.name == "kind")
    for form in (forms_h5.IntakeForm(), staff):
        field = form.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        assert [value for value, _label in field.choices] == [v for v, _l in kind.choices]


@pytest.mark.django_db
def test_the_import_refuses_one_character_more_than_declared(county_staff: User) -> None:
    header = [c.header for c in COLUMNS if c.key not in ("station",)]
    keys = [c.key for c in COLUMNS if c.key not in ("station",)]
    base = {
        "ref": "GD-1",
        "received_at": "2026-03-01 09:30",
        "kind": "投诉",
        "title": "电梯故障",
        "content": "小区电梯停运两周。",
        "contact_name": "张三",
        "contact_phone": "13800138000",
        "place": "岳麓区某小区",
        "region": "430104002000",
    }
    labels = {c.key: c.header for c in COLUMNS}
    for key, limit in TEXT_LIMITS.items():
        at_limit = {**base, "ref": f"GD-{key}-ok", key: "字" * limit}
        over = {**base, "ref": f"GD-{key}-over", key: "字" * (limit + 1)}
        rows = [[row[k] for k in keys] for row in (at_limit, over)]
        checked = check_table([header, *rows], user=county_staff)
        refused = {(p.line, p.field) for p in checked.errors}
        assert (2, labels[key]) not in refused, key
        assert (3, labels[key]) in refused, key
