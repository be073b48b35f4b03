"""Where a deputy's portrait is served from (MEDIA_ROOT itself is never served by URL).

Portraits are public-safe: the public pages show the portraits of deputies in office, so a public
view serves exactly those (`/d/<code>/photo/`); staff, who also see deputies no longer in office,
get a scoped view (`/staff/deputies/<pk>/portrait/`). The `?v=` part changes with the stored
file, so a replaced portrait is not shown from a browser's cache.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from liaison.common.downloads import versioned
from liaison.deputies.models import Deputy


def deputy_public_url(code: str) -> str:
    """The public page of a deputy."""
    try:
        return reverse("deputies_h5:detail", kwargs={"code": code})
    except NoReverseMatch:  # a project without the public deputy pages (tests' URL confs)
        return f"/d/{code}/"


def deputy_public_photo_url(code: str, photo_name: str) -> str:
    """The public portrait of a deputy in office, or ""."""
    if not photo_name:
        return ""
    try:
        url = reverse("deputies_h5:photo", kwargs={"code": code})
    except NoReverseMatch:
        url = f"/d/{code}/photo/"
    return versioned(url, photo_name)


def deputy_staff_photo_url(deputy: Deputy) -> str:
    """The portrait on the staff pages (any deputy the viewer may see), or ""."""
    if not deputy.photo:
        return ""
    return versioned(
        reverse("deputies:portrait", kwargs={"pk": deputy.pk}), deputy.photo.name or ""
    )


def deputy_photo_url(deputy: Deputy) -> str:
    """The public URL for a deputy in office, the staff URL otherwise (API for staff)."""
    if deputy.is_active:
        return deputy_public_photo_url(deputy.code, deputy.photo.name or "")
    return deputy_staff_photo_url(deputy)
