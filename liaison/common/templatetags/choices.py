"""`{{ obj|display:"field" }}`: what `obj.get_field_display` shows, from labels made once.

Django's `get_FOO_display` rebuilds a dict of the field's choices at every call, hashing (so
translating) every label: on a queue page of 25 rows with three such columns that was some 600
translations per view. The labels are made once per field and language instead.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.utils.translation import get_language

register = template.Library()

_labels: dict[tuple[type[Model], str, str | None], dict[Any, str]] = {}


def choice_labels(model: type[Model], name: str) -> dict[Any, str]:
    """{value: label} of a model field's choices in the active language (kept per process)."""
    key = (model, name, get_language())
    labels = _labels.get(key)
    if labels is None:
        field = model._meta.get_field(name)
        labels = {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]
        _labels[key] = labels
    return labels


@register.filter
def display(obj: Model, name: str) -> Any:
    """The label of the choice `obj.<name>` holds, or the value itself when it is not one."""
    value = getattr(obj, name)
    return choice_labels(type(obj), name).get(value, value)
