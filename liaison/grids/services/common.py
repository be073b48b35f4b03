"""What the grid services share: locking, the scope check, the version check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.grids.models import Grid, Post
from liaison.grids.permissions import can_manage_grid


def lock_grid(grid: Grid) -> Grid:
    # Lock only the grid row: PostgreSQL cannot lock the nullable side of the station join.
    return (
        Grid.objects.select_for_update(of=("self",))
        .select_related("region", "station")
        .get(pk=grid.pk)
    )


def lock_post(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("grid__region", "grid__station")
        .get(pk=post.pk)
    )


def ensure_manages(actor: User, grid: Grid) -> None:
    if not can_manage_grid(actor, grid):
        raise PermissionDenied(_("该网格不在您的管辖范围内，不能修改。"))


def ensure_version(current: int, expected: int | None) -> None:
    """Refuse an edit made on a copy someone else has changed since it was opened."""
    if expected is not None and expected != current:
        raise ValidationError(_("该记录已被他人修改，请刷新页面后重新填写。"), code="conflict")


def clean_text(value: str, *, field: str, label: str, limit: int, errors: dict[str, str]) -> str:
    """Trimmed text; records a Chinese error when it is empty or too long."""
    text = value.strip()
    if not text:
        errors[field] = _("请填写%(label)s") % {"label": label}
    elif len(text) > limit:
        errors[field] = _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit}
    return text
