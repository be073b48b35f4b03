"""Model permissions derived from roles, so that Django admin follows the three powers.

The system administrator manages the system through Django admin, but never the audit trail
(the auditor's power) nor lockouts and second factors (the security administrator's power).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from liaison.accounts.capabilities import Capability, has_capability

# Apps whose data belongs to another power or is append-only; Django's groups are not used
# (roles come from Membership, granted on the staff pages).
NOT_FOR_SYSTEM_ADMIN = frozenset({"audit", "auth", "axes", "otp_totp", "otp_static", "django_otp"})


class RolePermissionBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        app_label = perm.split(".", 1)[0]
        if app_label in NOT_FOR_SYSTEM_ADMIN:
            return False
        return has_capability(user_obj, Capability.ADMINISTER_SYSTEM)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        return app_label not in NOT_FOR_SYSTEM_ADMIN and has_capability(
            user_obj, Capability.ADMINISTER_SYSTEM
        )
