from __future__ import annotations

from django import template

from liaison.deputies.display import seat_title as _seat_title
from liaison.deputies.models import Seat

register = template.Library()


@register.filter
def seat_title(seat: Seat) -> str:
    return _seat_title(seat)
