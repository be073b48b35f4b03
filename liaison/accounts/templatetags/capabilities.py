"""`{% if request.user|can:"verify_activities" %}`: show a link only to those its page admits.

Shared parts of several pages (an app's link bar) cannot take the answer from each view's
context; the memberships are read once per request, so asking costs no query."""

from __future__ import annotations

from django import template

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.scoping import AnyUser

register = template.Library()


@register.filter
def can(user: AnyUser, capability: str) -> bool:
    return has_capability(user, Capability(capability))
