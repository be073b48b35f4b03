"""Access checks for the staff workbench: logged in, second factor passed, holding a role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from liaison.accounts.scoping import has_role

View = Callable[..., HttpResponseBase]


def needs_second_factor(user: Any) -> bool:
    """Whether the user must still pass the TOTP step in this session.

    Production requires it of everyone; the demo (REQUIRE_2FA off) still asks users who set up a
    device, so that the second factor can be tried there.
    """
    # A user object fresh from the password form has no `is_verified` yet (the OTP middleware
    # adds it on the next request): it has not passed the second factor.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    if settings.REQUIRE_2FA:
        return True
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))


def staff_required(roles: Iterable[str] | None = None) -> Callable[[View], View]:
    """Require login, the second factor and (if given) one of `roles`; else 403."""
    wanted = frozenset(roles) if roles is not None else None

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(user):
                return redirect("accounts:otp")
            if wanted is not None and not has_role(user, wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
