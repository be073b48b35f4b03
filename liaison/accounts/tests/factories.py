from __future__ import annotations

from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields

PASSWORD = "Test-Pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def make_member(
    role: str, *, region: Any = None, station: Any = None, user: User | None = None, **kw: Any
) -> User:
    """A user holding `role` over a region or a station."""
    user = user or UserFactory(**kw)
    fields = membership_scope_fields(region=region, station=station)
    Membership.objects.create(user=user, role=role, **fields)
    return user


def add_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


__all__ = ["PASSWORD", "Role", "UserFactory", "add_totp", "make_member"]
