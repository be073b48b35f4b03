"""Form widgets for long lists rendered on every page view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A flat `<select>` built as one string.

    Django's `Select` renders every option through a template (about 0.1 ms an option), which
    on the workbench filters (a hundred-odd category paths, every station and unit) cost more
    than the page's queries. Flat choices only: no option groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))  # Django's own reading of the value
        options = []
        selected_one = False
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            # Like Select: a single select marks only the first matching option.
            hit = text in chosen and (self.allow_multiple_selected or not selected_one)
            selected_one = selected_one or hit
            mark = " selected" if hit else ""
            options.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))


class _RowsIterator(forms.models.ModelChoiceIterator[Any]):
    """Options from `values_list` rows: no model instance per option."""

    def __iter__(self) -> Any:
        field = self.field
        assert isinstance(field, RowsChoiceField)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        label = field.row_labeler()
        for row in self.queryset.values_list("pk", *field.label_fields):
            yield (row[0], label(row[1:]))


class RowsChoiceField(forms.ModelChoiceField[Any]):
    """A ModelChoiceField whose options are rendered from a few columns.

    Rendering a city's filter list (hundreds of stations and regions) through model instances
    and `label_from_instance` cost tens of milliseconds per page view. Validation is unchanged:
    the chosen value is still looked up in the queryset. Subclasses name the `label_fields`
    and build the label from them (`row_labeler`).
    """

    iterator = _RowsIterator
    label_fields: tuple[str, ...] = ("name",)

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        """The label of a row, made once per rendering (say, with translated names at hand)."""
        return lambda row: str(row[0])
