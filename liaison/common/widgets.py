"""Form widgets for long lists rendered on every page view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from liaison.common.hotcache import HotCache


class FastSelect(forms.Select):
    """A `<select>` built as one string.

    Django's `Select` renders every option through a template (about 0.1 ms an option), which
    on the workbench filters (a hundred-odd category paths, every station and unit) and the
    phone form's category list cost more than the page's queries. Choices as Django reads them:
    `(value, label)` pairs, or `(group label, [(value, label), …])` for an `<optgroup>`.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = set(self.format_value(value))  # Django's own reading of the value
        parts: list[str] = []
        selected_one = False

        def option(option_value: Any, label: Any) -> None:
            nonlocal selected_one
            text = "" if option_value is None else str(option_value)
            # Like Select: a single select marks only the first matching option.
            hit = text in chosen and (self.allow_multiple_selected or not selected_one)
            selected_one = selected_one or hit
            mark = " selected" if hit else ""
            parts.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group, as in Django's ChoiceWidget.optgroups
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                for sub_value, sub_label in label:
                    option(sub_value, sub_label)
                parts.append("</optgroup>")
            else:
                option(option_value, label)
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(parts)))


# Option lists (units, deputies, stations, categories of a scope) change a few times a year and
# are read on every page view. Keyed by the compiled SQL and its parameters, so two scopes never
# share an entry; a change made through the services clears it in that process at once
# (`hotcache.clear_all`), the other processes within HOT_CACHE_SECONDS.
_option_rows: HotCache[list[tuple[Any, ...]]] = HotCache("option_rows", max_entries=2_000)


def option_rows(queryset: QuerySet[Any], fields: Sequence[str]) -> list[tuple[Any, ...]]:
    """`queryset.values_list(*fields)` as a list, from the per-process cache when fresh."""
    rows = queryset.values_list(*fields)
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return []
    key = (rows.db, sql, tuple(map(str, params)))
    return _option_rows.get(key, lambda: list(rows))


class _RowsIterator(forms.models.ModelChoiceIterator[Any]):
    """Options from `values_list` rows (cached, see `option_rows`): no model instance each."""

    def __iter__(self) -> Any:
        field = self.field
        assert isinstance(field, RowsChoiceField | RowsMultipleChoiceField)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        label = field.row_labeler()
        for row in option_rows(self.queryset, ("pk", *field.label_fields)):
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
    widget = FastSelect

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        """The label of a row, made once per rendering (say, with translated names at hand)."""
        return lambda row: str(row[0])


class FastSelectMultiple(FastSelect):
    """`FastSelect` for several values (reads the submitted list like `SelectMultiple`)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # like SelectMultiple: an empty selection is a value


class RowsMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """`RowsChoiceField` for several choices."""

    iterator = _RowsIterator
    label_fields: tuple[str, ...] = ("name",)
    widget = FastSelectMultiple

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        return lambda row: str(row[0])
