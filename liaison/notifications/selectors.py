"""Reads of a user's inbox."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from liaison.accounts.scoping import AnyUser
from liaison.notifications.models import Notification


def notifications_for(user: AnyUser) -> QuerySet[Notification]:
    """The user's messages, unread first, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user_id=user.pk)
        .annotate(is_unread=unread)
        .order_by("-is_unread", "-created_at", "-id")
    )


def unread_count(user: AnyUser) -> int:
    """How many unread messages the user has (for the menu badge)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
