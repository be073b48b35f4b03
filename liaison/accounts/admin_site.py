"""Django admin is for system administrators only (三权分立), each within their jurisdiction.

Auditors and security administrators never enter it. A system administrator manages the system of
the region their `system_admin` membership covers, and nothing else:

- every registered ModelAdmin is wrapped, when the URLs are loaded, in `JurisdictionScopedAdmin`,
  driven by one table, `ADMIN_POLICIES` (model label → how its rows belong to a region). A model
  without an entry is hidden: adding an admin class means deciding its policy here.
- rows outside the jurisdiction are not listed and their pages answer 404; foreign-key choices
  offer only rows inside it; a form whose result would land outside it is refused.
- national rows (a calendar override without a region, the journal, task results) are read-only or
  hidden, except for a platform administrator, whose jurisdiction covers every top region.
- personal data (encrypted fields and the fields a policy names) is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.decorators import needs_second_factor
from liaison.accounts.scoping import Scope
from liaison.common.crypto import EncryptedTextField
from liaison.common.text import SafeTextFormMixin
from liaison.regions.models import Region


@dataclass(frozen=True)
class AdminPolicy:
    """How the rows of one model belong to a jurisdiction in Django admin."""

    # Lookup path from the model to a 12-digit region code ("region_id", "code"); None: the rows
    # belong to no region (global data: shown only as `platform_only` or `read_only` say).
    region_path: str | None = None
    # Rows whose region is empty are national: every administrator sees them, only a platform
    # administrator changes them.
    national_if_null: bool = False
    # The row is itself a region: its whole code range must stay inside the jurisdiction (a
    # changed level would widen it), and the region an administrator's membership names is
    # read-only to them (it defines the jurisdiction).
    is_region: bool = False
    read_only: bool = False
    # Only a platform administrator sees these rows at all.
    platform_only: bool = False
    # Never in the system administrator's admin (another power's data).
    hidden: bool = False
    # Fields with personal data besides the encrypted ones, never shown.
    personal: tuple[str, ...] = ()


HIDDEN: Final = AdminPolicy(hidden=True)

ADMIN_POLICIES: Final[Mapping[str, AdminPolicy]] = {
    "regions.Region": AdminPolicy(region_path="code", is_region=True),
    "jurisdiction.JurisdictionSetting": AdminPolicy(region_path="region_id"),
    "jurisdiction.CalendarOverride": AdminPolicy(region_path="region_id", national_if_null=True),
    "cases.ClassificationFeedback": AdminPolicy(region_path="region_id", read_only=True),
    # Entries have no region until they become cases (the payload is sealed); releasing held
    # entries follows a platform-wide key restore.
    "cases.IntakeEntry": AdminPolicy(
        platform_only=True, personal=("payload", "pin_digest", "client_token")
    ),
    # Task arguments and results of every county (exports, imports).
    "django_tasks_database.DBTaskResult": AdminPolicy(platform_only=True, read_only=True),
    # Deputies' suggestions: sessions are set up here; the rest changes only through services.
    "suggestions.CongressSession": AdminPolicy(region_path="congress_id"),
    "suggestions.Suggestion": AdminPolicy(region_path="congress_id", read_only=True),
    # A case source's label quotes the case's title; event notes quote people's words.
    "suggestions.SuggestionSource": AdminPolicy(
        region_path="suggestion__congress_id", read_only=True, personal=("label",)
    ),
    "suggestions.SuggestionUnit": AdminPolicy(
        region_path="suggestion__congress_id", read_only=True
    ),
    "suggestions.SuggestionEvent": AdminPolicy(
        region_path="suggestion__congress_id", read_only=True, personal=("note", "data")
    ),
    # Lockouts and second factors are the security administrator's power.
    "axes.AccessAttempt": HIDDEN,
    "axes.AccessLog": HIDDEN,
    "axes.AccessFailureLog": HIDDEN,
    "otp_totp.TOTPDevice": HIDDEN,
}


def policy_for(model: type[Model]) -> AdminPolicy:
    return ADMIN_POLICIES.get(model._meta.label, HIDDEN)


def admin_scope(request: HttpRequest) -> Scope:
    """The regions the requesting user administers (their system_admin memberships)."""
    return capability_scope(request.user, Capability.ADMINISTER_SYSTEM)


def is_platform_admin(request: HttpRequest) -> bool:
    """Whether the user administers every top region (national rows are theirs to change)."""
    cached: bool | None = getattr(request, "_liaison_platform_admin", None)
    if cached is None:
        scope = admin_scope(request)
        roots = Region.objects.filter(parent__isnull=True).values_list("code", flat=True)
        cached = bool(scope.regions) and all(scope.covers_region(code) for code in roots)
        # Cached per request (not an attribute HttpRequest declares, so set in its __dict__).
        vars(request)["_liaison_platform_admin"] = cached
    return cached


def _value_at(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


class JurisdictionScopedAdmin(admin.ModelAdmin[Model]):
    """Mixed in before every registered ModelAdmin by `restrict_admin_to_system_admins`."""

    @property
    def policy(self) -> AdminPolicy:
        return policy_for(self.model)

    # --- which rows -----------------------------------------------------------------------

    def _visible(self, request: HttpRequest) -> bool:
        policy = self.policy
        if policy.hidden:
            return False
        return not policy.platform_only or is_platform_admin(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        policy = self.policy
        if not self._visible(request):
            return queryset.none()
        if policy.region_path is None or is_platform_admin(request):
            return queryset
        condition = admin_scope(request).q(region_field=policy.region_path)
        if policy.national_if_null:
            condition |= Q(**{f"{policy.region_path}__isnull": True})
        return queryset.filter(condition)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # Django admin would redirect with "does not exist"; a row of another jurisdiction is
        # answered exactly like a row that does not exist: 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def may_edit(self, request: HttpRequest, obj: Any) -> bool:
        """Whether `obj` (as stored, or as a form would save it) lies in what the user changes."""
        policy = self.policy
        if policy.hidden or policy.read_only or not self._visible(request):
            return False
        if is_platform_admin(request):
            return True
        if policy.region_path is None:
            return False
        code = _value_at(obj, policy.region_path)
        if not code:
            return False  # national rows, or a form that named no region
        scope = admin_scope(request)
        codes = [code]
        if policy.is_region:
            if any(region.code == code for region in scope.regions):
                return False
            try:
                codes += list(obj.bounds)
            except KeyError:  # an unknown level: the form reports it
                return False
        return all(scope.covers_region(c) for c in codes)

    # --- permissions ----------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._visible(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._visible(request):
            return False
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        policy = self.policy
        if not self._visible(request) or policy.read_only:
            return False
        return bool(super().has_add_permission(request, *args))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            allowed = self._visible(request) and not self.policy.read_only
        else:
            allowed = self.may_edit(request, obj)
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            allowed = self._visible(request) and not self.policy.read_only
        else:
            allowed = self.may_edit(request, obj)
        return allowed and super().has_delete_permission(request, obj)

    # --- forms and choices ----------------------------------------------------------------

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        model_admin = self
        # Admin forms refuse control characters like every other form of the platform.
        bases = (
            (form_class,)
            if issubclass(form_class, SafeTextFormMixin)
            else (
                SafeTextFormMixin,
                form_class,
            )
        )

        # Bases chosen at run time (the admin's own form class): mypy cannot check a dynamic base.
        class JurisdictionForm(*bases):  # type: ignore[misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                # The row as it would be saved must stay inside the jurisdiction (a setting moved
                # to another county, a region recoded under another one, a national row).
                if not self.errors and not model_admin.may_edit(request, self.instance):
                    self.add_error(
                        None,
                        gettext("只能在您管辖的区划内新增或修改；全国性的数据由全平台管理员维护。"),
                    )

        JurisdictionForm.__name__ = form_class.__name__
        return JurisdictionForm

    def _choices(self, request: HttpRequest, model: type[Model]) -> QuerySet[Any]:
        related = self.admin_site._registry.get(model)
        if isinstance(related, JurisdictionScopedAdmin):
            return related.get_queryset(request)
        return model._default_manager.none()  # a model with no policy offers nothing

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", self._choices(request, db_field.remote_field.model))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", self._choices(request, db_field.remote_field.model))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- personal data --------------------------------------------------------------------

    def personal_fields(self) -> frozenset[str]:
        encrypted = {
            f.name for f in self.model._meta.get_fields() if isinstance(f, EncryptedTextField)
        }
        return frozenset(encrypted | set(self.policy.personal))

    def _without_personal(self, names: Sequence[Any]) -> list[Any]:
        personal = self.personal_fields()
        return [name for name in names if not (isinstance(name, str) and name in personal)]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*(super().get_exclude(request, obj) or ()), *sorted(self.personal_fields())]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._without_personal(super().get_fields(request, obj))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (name, {**options, "fields": self._without_personal(options.get("fields", ()))})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._without_personal(super().get_readonly_fields(request, obj))

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._without_personal(super().get_list_display(request))

    def get_search_fields(self, request: HttpRequest) -> Any:
        personal = self.personal_fields()
        return [
            name
            for name in super().get_search_fields(request)
            if name.lstrip("^=@").split("__")[0] not in personal
        ]


def scope_registered_admins(site: AdminSite) -> None:
    """Put every registered ModelAdmin under `JurisdictionScopedAdmin`; drop Group (roles come
    from Membership, not from Django's groups)."""
    if site.is_registered(Group):
        site.unregister(Group)
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, JurisdictionScopedAdmin):
            continue
        base = type(model_admin)
        namespace = {"__module__": base.__module__}
        scoped = type(f"Scoped{base.__name__}", (JurisdictionScopedAdmin, base), namespace)
        site.unregister(model)
        site.register(model, scoped)


def _has_permission(request: HttpRequest) -> bool:
    user: Any = request.user
    if not (user.is_active and user.is_authenticated) or needs_second_factor(user):
        return False
    return has_capability(user, Capability.ADMINISTER_SYSTEM)


def _login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # One login for everyone: the staff login with its second factor and lockout.
    return redirect_to_login(request.GET.get("next", "/admin/"), login_url="/staff/login/")


def restrict_admin_to_system_admins(site: AdminSite) -> None:
    # Replacing two methods on this one site instance is the point (Django's documented hooks
    # are these methods); mypy flags any assignment to a method.
    site.has_permission = _has_permission  # type: ignore[method-assign]
    site.login = _login  # type: ignore[method-assign]
    site.site_header = "人大代表联络站智慧平台 · 系统管理"
    site.site_title = "系统管理"
    site.index_title = "系统管理"
    scope_registered_admins(site)
