"""How a seat reads to people: 岳麓区第十八届人民代表大会代表."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.deputies.models import DeputyLevel, Seat


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
