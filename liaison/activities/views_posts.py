"""The work log of a grid post (网格岗位): the verified activities done for it, paginated."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.activities import selectors
from liaison.activities.rules import kind_labels
from liaison.common.paging import paginate
from liaison.grids.selectors import post_get_for_user


@staff_required(Capability.VIEW_GRIDS)
@require_GET
def post_work_log(request: AuthedHttpRequest, post_pk: int) -> HttpResponse:
    post = post_get_for_user(request.user, post_pk)
    context = paginate(request, selectors.post_work_log_activities(post))
    context.update({"post": post, "labels": kind_labels(post.grid.region_id)})
    return render(request, "staff/activities/post_log.html", context)
