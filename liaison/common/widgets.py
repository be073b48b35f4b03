"""Form widgets for long lists rendered on every page view."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape as escape_text
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from liaison.common.hotcache import HotCache


class FastHiddenInput(forms.HiddenInput):
    """A hidden input written with `format_html`, as Django's template writes it.

    Django renders a widget through three templates (hidden.html, input.html, attrs.html); the
    phone form's four hidden fields cost a fifth of its time that way (issue 16). The same
    markup, byte for byte (tested): `type`, `name`, `value` when there is one, then the
    attributes in order, everything escaped.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        shown = self.format_value(value)
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        # attrs.html, in the dict's order: False left out, True a bare name, the rest as text.
        rest = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if val is True else format_html(' {}="{}"', key, val),)
                for key, val in final.items()
                if val is not False
            ),
        )
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, value_attr, rest
        )


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
        if isinstance(self.choices, _RowsIterator):
            body = self.choices.rendered().select(chosen, many=self.allow_multiple_selected)
            return format_html("<select{}>{}</select>", flatatt(final), body)
        parts: list[str] = []
        selected_one = False

        def option(option_value: Any, label: Any) -> None:
            nonlocal selected_one
            text = "" if option_value is None else str(option_value)
            # Like Select: a single select marks only the first matching option.
            hit = text in chosen and (self.allow_multiple_selected or not selected_one)
            selected_one = selected_one or hit
            mark = " selected" if hit else ""
            # The standard library's escape is what Django's calls, without its lazy-string
            # wrapper: 5x faster over the 2,157 regions of a province's filter (issue 16).
            label_text = escape_text(str(label))
            parts.append(f'<option value="{escape_text(text)}"{mark}>{label_text}</option>')

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group, as in Django's ChoiceWidget.optgroups
                parts.append(f'<optgroup label="{escape_text(str(option_value))}">')
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


@dataclass(frozen=True)
class RenderedOptions:
    """The `<option>` elements of a list, escaped once; `select` marks the chosen ones."""

    values: list[str]  # each option's value as submitted
    html: list[str]  # each option, unselected
    joined: str  # all of them, none selected
    first: dict[str, int]  # the first option of each value

    @classmethod
    def build(cls, choices: Iterable[tuple[Any, Any]]) -> RenderedOptions:
        values: list[str] = []
        html: list[str] = []
        first: dict[str, int] = {}
        for value, label in choices:
            text = "" if value is None else str(value)
            first.setdefault(text, len(values))
            values.append(text)
            html.append(f'<option value="{escape_text(text)}">{escape_text(str(label))}</option>')
        return cls(values, html, "".join(html), first)

    def select(self, chosen: set[str], *, many: bool) -> SafeString:
        """The options with those of `chosen` selected (a single select: the first match only,
        as Django's Select marks it)."""
        if many:
            marked = sorted(i for i, value in enumerate(self.values) if value in chosen)
        else:
            hits = [self.first[value] for value in chosen if value in self.first]
            marked = [min(hits)] if hits else []
        if not marked:
            return mark_safe(self.joined)
        html = list(self.html)
        for i in marked:
            html[i] = html[i].replace(">", " selected>", 1)
        return mark_safe("".join(html))


# The options of a `RowsChoiceField` rendered once per list of rows: per the rows' own cache key
# (the scoped query) and the identity of the cached rows (so a refilled list is rendered again),
# the field's class (its labels), its empty label and the language. Cleared with the rows.
_option_html: HotCache[tuple[list[tuple[Any, ...]], RenderedOptions]] = HotCache(
    "option_html", max_entries=2_000
)


class _RowsIterator(forms.models.ModelChoiceIterator[Any]):
    """Options from `values_list` rows (cached, see `option_rows`): no model instance each."""

    def _field(self) -> RowsChoiceField | RowsMultipleChoiceField:
        field = self.field
        assert isinstance(field, RowsChoiceField | RowsMultipleChoiceField)
        return field

    def __iter__(self) -> Any:
        return self._choices(None)

    def _rows(self) -> list[tuple[Any, ...]]:
        field = self._field()
        return option_rows(self.queryset, (field.to_field_name or "pk", *field.label_fields))

    def _choices(self, rows: list[tuple[Any, ...]] | None) -> Iterator[tuple[Any, Any]]:
        field = self._field()
        if field.empty_label is not None:
            # Before the rows are read: Select.use_required_attribute looks at this one only.
            yield ("", field.empty_label)
        label = field.row_labeler()
        for row in self._rows() if rows is None else rows:
            yield (row[0], label(row[1:]))

    def rendered(self) -> RenderedOptions:
        """Every option as HTML, from the per-process cache while the rows are the same."""
        rows = self._rows()
        if not rows:  # nothing worth keeping (and no cached list whose identity says so)
            return RenderedOptions.build(self._choices(rows))
        kind = type(self._field())
        empty = self._field().empty_label
        key = (
            id(rows),
            f"{kind.__module__}.{kind.__qualname__}",
            None if empty is None else str(empty),
            get_language(),
        )
        return _option_html.get(key, lambda: (rows, RenderedOptions.build(self._choices(rows))))[1]


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
