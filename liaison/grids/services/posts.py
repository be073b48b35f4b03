"""Creating, editing and deactivating the posts of a grid."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, diff, snapshot
from liaison.grids.duty_kinds import duty_kind_labels
from liaison.grids.models import Grid, Post
from liaison.grids.services.common import (
    clean_text,
    ensure_manages,
    ensure_version,
    lock_grid,
    lock_post,
)

POST_FIELDS: Final = ("grid", "duty_kind", "name", "description", "needed", "is_active")
NAME_LIMIT: Final = 100
DESCRIPTION_LIMIT: Final = 2000
NEEDED_MAX: Final = 99


def _check_fields(
    *,
    grid: Grid,
    duty_kind: str,
    name: str,
    description: str,
    needed: int,
    current: Post | None = None,
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = clean_text(name, field="name", label=_("岗位名称"), limit=NAME_LIMIT, errors=errors)
    description = description.strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = _("岗位职责不能超过 %(n)d 个字") % {"n": DESCRIPTION_LIMIT}
    # A kind dropped from the setting stays valid on the posts that already have it.
    kept = current is not None and duty_kind == current.duty_kind
    if duty_kind not in duty_kind_labels(grid.region_id) and not kept:
        errors["duty_kind"] = _("请选择本辖区设定的职责类型")
    if not 1 <= needed <= NEEDED_MAX:
        errors["needed"] = _("所需代表数应在 1 到 %(n)d 之间") % {"n": NEEDED_MAX}
    if errors:
        raise ValidationError(errors)
    _ensure_unique_name(grid=grid, name=name, exclude=current)
    return name, description


def _ensure_unique_name(*, grid: Grid, name: str, exclude: Post | None) -> None:
    others = Post.objects.filter(grid=grid, name=name, is_active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        message = _("网格“%(grid)s”已有名为“%(name)s”的岗位") % {"grid": grid.name, "name": name}
        raise ValidationError({"name": message})


def _save_unique(post: Post) -> None:
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        raise ValidationError({"name": _("该网格已有同名岗位，请换一个名称")}) from None


def post_create(
    *,
    actor: User,
    grid: Grid,
    duty_kind: str,
    name: str,
    description: str = "",
    needed: int = 1,
) -> Post:
    """Add a post of one duty kind to an active grid."""
    with transaction.atomic():
        grid = lock_grid(grid)
        ensure_manages(actor, grid)
        if not grid.is_active:
            raise ValidationError(_("网格“%(grid)s”已停用，不能新增岗位。") % {"grid": grid.name})
        name, description = _check_fields(
            grid=grid, duty_kind=duty_kind, name=name, description=description, needed=needed
        )
        post = Post(
            grid=grid, duty_kind=duty_kind, name=name, description=description, needed=needed
        )
        _save_unique(post)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=post,
            region_code=grid.region_id,
            after=snapshot(post, POST_FIELDS),
        )
    return post


def post_update(
    *,
    post: Post,
    actor: User,
    duty_kind: str,
    name: str,
    description: str = "",
    needed: int = 1,
    expected_version: int | None = None,
) -> Post:
    """Change a post's kind, name, duty and the number of deputies it needs."""
    with transaction.atomic():
        post = lock_post(post)
        ensure_manages(actor, post.grid)
        ensure_version(post.version, expected_version)
        if not post.is_active:
            raise ValidationError(_("该岗位已停用，不能修改。"))
        before = snapshot(post, POST_FIELDS)
        name, description = _check_fields(
            grid=post.grid,
            duty_kind=duty_kind,
            name=name,
            description=description,
            needed=needed,
            current=post,
        )
        post.name = name
        post.duty_kind, post.description, post.needed = duty_kind, description, needed
        post.version += 1
        _save_unique(post)
        changed_before, changed_after = diff(before, snapshot(post, POST_FIELDS))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=post,
            region_code=post.grid.region_id,
            before=changed_before,
            after=changed_after,
        )
    return post


def post_deactivate(*, post: Post, actor: User, reason: str = "") -> Post:
    """Stop using a post. Everyone on it must have been taken off first (their assignments
    ended, today at the latest), so the history says when each of them left."""
    with transaction.atomic():
        post = lock_post(post)
        ensure_manages(actor, post.grid)
        if not post.is_active:
            raise ValidationError(_("该岗位已停用。"))
        today = timezone.localdate()
        holding = post.assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today)).count()
        if holding:
            raise ValidationError(
                _("该岗位还有 %(n)d 名代表在岗或待上岗，请先为他们办理离岗。") % {"n": holding}
            )
        post.is_active = False
        post.version += 1
        post.save(update_fields=["is_active", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=post,
            region_code=post.grid.region_id,
            before={"is_active": True},
            after={"is_active": False},
            note=_("停用岗位：%(reason)s") % {"reason": reason.strip()} if reason.strip() else "",
        )
    return post
