"""How a seat reads to people: 岳麓区第十八届人民代表大会代表."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.deputies.models import Deputy, DeputyLevel, Seat
from liaison.deputies.permissions import is_current


def seat_title(seat: Seat) -> str:
    """A national seat is named after the NPC and the province that elected the deputy."""
    if seat.level == DeputyLevel.NATIONAL:
        return _("第%(term)s届全国人民代表大会代表（%(congress)s选出）") % {
            "term": seat.term,
            "congress": seat.congress.name,
        }
    return _("%(congress)s第%(term)s届人民代表大会代表") % {
        "congress": seat.congress.name,
        "term": seat.term,
    }


def deputy_title(deputy: Deputy) -> str:
    """The level of the deputy's highest current seat (全国人大代表 … 乡镇人大代表), the seat the
    public page lists first; "" without a current seat. Uses prefetched seats when present."""
    levels = {seat.level for seat in deputy.seats.all() if is_current(seat.ends_on)}
    for level in DeputyLevel:  # declared from the national congress down
        if level in levels:
            return str(level.label)
    return ""
