"""Staff pages about who holds a post: put a deputy on it, take one off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.common.paging import paginate
from liaison.grids import choices, selectors, services
from liaison.grids.forms import AssignForm, EndForm, apply_service_errors
from liaison.grids.permissions import can_manage_grid
from liaison.grids.views_staff import post_or_403, posted, staff_view


@staff_view
@require_http_methods(["GET", "POST"])
def post_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Find a deputy in scope (by name or code) and put them on the post from a date."""
    post = post_or_403(request, pk)
    form = AssignForm(posted(request), initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        deputy = choices.deputy_by_pk(form.cleaned_data["deputy"])
        try:
            if deputy is None:
                raise ValidationError({"deputy": _("未找到该代表")})
            services.post_assign(
                post=post, deputy=deputy, actor=request.user, start=form.cleaned_data["start"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            names = {"deputy": deputy.name, "post": post.name}
            messages.success(request, _("已安排“%(deputy)s”到岗位“%(post)s”") % names)
            return redirect("grids:post", pk=post.pk)
    text = request.GET.get("q", "")[:50]
    context = paginate(request, choices.assignable_deputies(request.user, text=text), per_page=10)
    on_post = choices.deputies_on_post(post)
    context["results"] = [
        (d, selectors.deputy_levels(d), d.pk in on_post) for d in context["page_obj"].object_list
    ]
    context.update({"post": post, "grid": post.grid, "form": form, "q": text})
    return render(request, "staff/grids/assign.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def assignment_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(request.user, pk)
    post = assignment.post
    if not can_manage_grid(request.user, post.grid):
        raise PermissionDenied
    form = EndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(
                assignment=assignment,
                actor=request.user,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("已为“%(deputy)s”办理离岗") % {"deputy": assignment.deputy.name}
            )
            return redirect("grids:post", pk=post.pk)
    context = {"form": form, "assignment": assignment, "post": post, "grid": post.grid}
    return render(request, "staff/grids/end.html", context)
