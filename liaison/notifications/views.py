"""The staff inbox: list (unread first), mark one or all read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.paging import paginate
from liaison.notifications.selectors import notifications_for, unread_count
from liaison.notifications.services import notification_mark_read, notifications_mark_all_read


@require_GET
@staff_required()
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    context = paginate(request, notifications_for(user), per_page=30)
    context["unread"] = unread_count(user)
    return render(request, "staff/notifications/inbox.html", context)


@require_POST
@staff_required()
def mark_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not notifications_for(user).filter(pk=pk).exists():
        raise Http404
    notification_mark_read(user=user, pk=pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@staff_required()
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    count = notifications_mark_all_read(user=user)
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    return redirect("notifications:inbox")
