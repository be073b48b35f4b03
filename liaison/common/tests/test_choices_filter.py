"""`display`: the label `get_FOO_display` gives, from labels made once per language."""

from __future__ import annotations

from django.template import Context, Template

from liaison.cases.models import Case, Channel, Kind, Status


def _render(case: Case, name: str) -> str:
    template = Template('{% load choices %}{{ case|display:"' + name + '" }}')
    return template.render(Context({"case": case}))


def test_display_gives_what_get_display_gives() -> None:
    for status in Status:
        case = Case(status=status, kind=Kind.values[0], channel=Channel.values[0])
        assert _render(case, "status") == case.get_status_display()
    for channel in Channel:
        case = Case(channel=channel)
        assert _render(case, "channel") == case.get_channel_display()


def test_a_value_that_is_no_choice_shows_as_itself() -> None:
    case = Case(status="no-such-status")
    assert _render(case, "status") == case.get_status_display() == "no-such-status"
