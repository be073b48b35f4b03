from __future__ import annotations

from django import template

from liaison.deputies.display import seat_title as _seat_title
from liaison.deputies.models import Deputy, Seat
from liaison.deputies.photos import deputy_public_photo_url, deputy_staff_photo_url

register = template.Library()


@register.filter
def seat_title(seat: Seat) -> str:
    return _seat_title(seat)


@register.filter
def public_photo_url(deputy: Deputy) -> str:
    """The portrait on the public pages (deputies in office)."""
    return deputy_public_photo_url(deputy.code, deputy.photo.name or "")


@register.filter
def staff_photo_url(deputy: Deputy) -> str:
    """The portrait on the staff pages (scoped view)."""
    return deputy_staff_photo_url(deputy)
