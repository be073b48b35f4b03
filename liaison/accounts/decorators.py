"""Access checks for the staff workbench: logged in, second factor passed, holding a role."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Final
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.models import User

View = Callable[..., HttpResponseBase]


class AuthedHttpRequest(HttpRequest):
    """The request a view behind `staff_required` receives: its user is a logged-in `User`.

    Views annotate `request: AuthedHttpRequest` so that `request.user` goes to services typed as
    `User` (django-stubs' recommended pattern; the decorator is what makes it true).
    """

    user: User


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request that already passed a login check (the admin site's).

    For code that receives a plain HttpRequest by its signature (ModelAdmin hooks); views behind
    `staff_required` take an `AuthedHttpRequest` instead.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


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


# --- a form sent after the session expired ------------------------------------------------------
#
# Sending it to the login page and then "next" to a POST-only URL answered 405 and lost the text.
# Instead its text fields wait in the (new, anonymous) session, which Django's login keeps, and
# the page the form was on takes them back once (decision 0008).

POST_STASH_KEY: Final = "post_stash"
STASH_MAX_FIELDS: Final = 50
STASH_MAX_CHARS: Final = 20_000  # all values together: a long reply fits, a flood does not
STASH_MAX_NAME: Final = 100
_NOT_STASHED: Final = frozenset({"csrfmiddlewaretoken"})

ReturnTo = Callable[..., str]


def _stash_post(request: HttpRequest) -> None:
    """Keep the POST's text fields (never files or the CSRF token), size-capped."""
    fields: dict[str, list[str]] = {}
    budget = STASH_MAX_CHARS
    for name, values in request.POST.lists():
        if name in _NOT_STASHED or len(name) > STASH_MAX_NAME:
            continue
        if len(fields) >= STASH_MAX_FIELDS:
            break
        kept = []
        for value in values:
            value = value[:budget]
            budget -= len(value)
            kept.append(value)
        fields[name] = kept
    request.session[POST_STASH_KEY] = {
        "path": request.path,
        "fields": fields,
        "files_dropped": bool(request.FILES),
        "at": int(time.time()),
    }


def _page_of_the_form(
    request: HttpRequest, return_to: ReturnTo | None, args: Any, kwargs: Any
) -> str:
    """Where the form was: a same-origin Referer, else the view's own answer, else home."""
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host()
    if referer and url_has_allowed_host_and_scheme(
        referer, {host}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.netloc == host and parts.path and parts.path != request.path:
            path: str = parts.path
            return path + (f"?{parts.query}" if parts.query else "")
    if return_to is not None:
        return return_to(request, *args, **kwargs)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def post_stash_pop(request: HttpRequest, *, path_prefix: str) -> dict[str, Any] | None:
    """The text of a form sent to a URL under `path_prefix` while logged out, once; or None.

    A stash older than the idle timeout is dropped: on a shared computer the next person to log
    in should not be handed an old form.
    """
    stash = request.session.get(POST_STASH_KEY)
    if not isinstance(stash, dict):
        return None
    if time.time() - stash.get("at", 0) > settings.SESSION_COOKIE_AGE:
        del request.session[POST_STASH_KEY]
        return None
    if not str(stash.get("path", "")).startswith(path_prefix):
        return None
    del request.session[POST_STASH_KEY]
    return stash


def staff_required(
    capability: Capability | None = None, *, return_to: ReturnTo | None = None
) -> Callable[[View], View]:
    """Require login, the second factor and (if given) a role with `capability`; else 403.

    A POST without a login (the session expired while the form was open) keeps its text in the
    session and goes to the login page with `next` = the page of the form: the Referer when it is
    this site, else `return_to(request, *args, **kwargs)` if given, else the workbench home.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user: Any = request.user
            if not user.is_authenticated and request.method == "POST":
                _stash_post(request)
                return redirect_to_login(_page_of_the_form(request, return_to, args, kwargs))
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(user):
                return redirect("accounts:otp")
            if capability is not None and not has_capability(user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
