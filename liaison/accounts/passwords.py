"""A staff user changes their own password."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record


def password_change(*, actor: User, new_password: str) -> None:
    """Set the actor's new password (policy checked again here, not only in the form).

    Changing the password changes the session hash, so every other session of the user ends at
    its next request; the view keeps the current one with `update_session_auth_hash`.
    """
    validate_password(new_password, actor)
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_record(actor=actor, action=AuditAction.SECURITY, obj=actor, note=_("修改密码"))
