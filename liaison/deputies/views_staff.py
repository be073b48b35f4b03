"""Staff workbench pages for deputies: check access → call a selector or service → render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import staff_required
from liaison.common.downloads import file_response, stored_image_type
from liaison.common.masking import mask_id_number, mask_phone
from liaison.common.paging import CountedRows, paginate
from liaison.deputies import permissions, selectors, services
from liaison.deputies.forms import (
    AssignmentForm,
    DeputyFilterForm,
    DeputyForm,
    EndForm,
    PhotoForm,
    SeatForm,
)
from liaison.deputies.models import AssignmentKind, Deputy, Gender
from liaison.deputies.posters import PosterUnavailable, deputy_poster, deputy_qr_svg, public_url
from liaison.stations.search import station_select_is_long

staff_view = staff_required(Capability.VIEW_DEPUTIES)


def _user(request: HttpRequest) -> Any:
    return request.user


def _form_error(form: Any, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _masked(value: str, masker: Any) -> str:
    return masker(value) if value else ""


def _mask_address(value: str) -> str:
    return (value[:6] + "****") if value else ""


@require_GET
@staff_view
def deputy_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeputyFilterForm(
        request.GET,
        regions=selectors.regions_visible_to(user),
        stations=selectors.stations_visible_to(user),
        station_search=station_select_is_long(user),
    )
    filters = form.filters()
    deputies = selectors.deputy_list(user, filters)
    total = CountedRows(deputies, lambda: selectors.deputy_list_count(user, filters, deputies))
    context = paginate(request, total)
    personal = permissions.sees_personal_data(user)
    # Labels made once per page: get_FOO_display translates every choice on each call.
    genders = {value: str(label) for value, label in Gender.choices}
    kinds = {value: str(label) for value, label in AssignmentKind.choices}
    for deputy in context["page_obj"]:
        deputy.mobile_masked = _masked(deputy.mobile, mask_phone) if personal else ""
        deputy.gender_label = genders.get(deputy.gender, deputy.gender)
        for assignment in deputy.assignments.all():
            assignment.kind_label = kinds.get(assignment.kind, assignment.kind)
    context.update(form=form, can_create=permissions.can_create_deputy(user))
    return render(request, "staff/deputies/list.html", context)


@require_http_methods(["GET", "POST"])
@staff_view
def deputy_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_create_deputy(user):
        raise PermissionDenied
    regions = selectors.regions_manageable_by(user)
    form = DeputyForm(
        request.POST or None, regions=regions, private=permissions.can_enter_private(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            deputy = services.deputy_create(actor=user, **form.service_kwargs())
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已新增代表 %(name)s") % {"name": deputy.name})
            return redirect("deputies:detail", pk=deputy.pk)
    return render(request, "staff/deputies/form.html", {"form": form, "deputy": None})


def _detail_context(request: HttpRequest, deputy: Deputy) -> dict[str, Any]:
    user = _user(request)
    assignments = list(deputy.assignments.all())
    current = [a for a in assignments if permissions.is_current(a.ends_on)]
    # Not even masked values reach the page of someone without a personal-data role.
    personal = permissions.can_see_personal(user, deputy)
    return {
        "deputy": deputy,
        "seats": list(deputy.seats.all()),
        "current_assignments": current,
        "past_assignments": [a for a in assignments if a not in current],
        "endable": {a.pk for a in current if permissions.can_end_assignment(user, a)},
        "masked": {
            "mobile": _masked(deputy.mobile, mask_phone),
            "id_number": _masked(deputy.id_number, mask_id_number),
            "home_address": _mask_address(deputy.home_address),
        }
        if personal
        else {},
        "has_private": personal and any(getattr(deputy, f) for f in services.PRIVATE_FIELDS),
        "can_see_personal": personal,
        "can_manage": permissions.can_manage(user, deputy),
        "can_view_private": permissions.can_view_private(user, deputy),
        "can_assign": permissions.can_assign_any(user),
        # The file (一人一档) is the archives app's page, for the roles that may read files.
        "can_see_file": has_capability(user, Capability.VIEW_ARCHIVES),
        "end_form": EndForm(),
        "public_url": public_url(request, deputy),
    }


@require_GET
@staff_view
def deputy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = selectors.deputy_get_for_user(_user(request), pk)
    return render(request, "staff/deputies/detail.html", _detail_context(request, deputy))


@never_cache
@require_POST
@staff_view
def deputy_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the private fields once, after writing a view_private audit row."""
    user = _user(request)
    deputy = selectors.deputy_get_for_user(user, pk)
    if not permissions.can_view_private(user, deputy):
        raise PermissionDenied
    context = _detail_context(request, deputy)
    context["revealed"] = services.deputy_private_reveal(deputy=deputy, actor=user)
    return render(request, "staff/deputies/detail.html", context)


def _managed_deputy(request: HttpRequest, pk: int) -> Deputy:
    deputy = selectors.deputy_get_for_user(_user(request), pk)
    if not permissions.can_manage(_user(request), deputy):
        raise PermissionDenied
    return deputy


@require_http_methods(["GET", "POST"])
@staff_view
def deputy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _managed_deputy(request, pk)
    initial = {
        name: getattr(deputy, name)
        for name in services.PUBLIC_FIELDS
        if name not in {"home_region"}
    }
    private = permissions.can_view_private(_user(request), deputy)
    form = DeputyForm(request.POST or None, initial=initial, editing=True, private=private)
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_update(deputy=deputy, actor=_user(request), **form.service_kwargs())
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("代表信息已保存"))
            return redirect("deputies:detail", pk=deputy.pk)
    return render(request, "staff/deputies/form.html", {"form": form, "deputy": deputy})


@require_http_methods(["GET", "POST"])
@staff_view
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _managed_deputy(request, pk)
    form = SeatForm(request.POST or None, regions=selectors.congress_regions_for(_user(request)))
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_add(deputy=deputy, actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已添加代表职务"))
            return redirect("deputies:detail", pk=deputy.pk)
    context = {"form": form, "deputy": deputy, "title": _("添加代表职务")}
    return render(request, "staff/deputies/subform.html", context)


def _end_and_redirect(request: HttpRequest, deputy: Deputy, end: Any, done: str) -> HttpResponse:
    form = EndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            end(form.cleaned_data["ends_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    return redirect("deputies:detail", pk=deputy.pk)


@require_POST
@staff_view
def seat_end(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    deputy = _managed_deputy(request, pk)
    seat = get_object_or_404(deputy.seats.all(), pk=seat_pk)
    return _end_and_redirect(
        request,
        deputy,
        lambda ends_on: services.seat_end(seat=seat, actor=_user(request), ends_on=ends_on),
        _("代表职务已结束"),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    deputy = selectors.deputy_get_for_user(user, pk)
    if not permissions.can_assign_any(user):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, stations=selectors.stations_assignable_by(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_assign_station(deputy=deputy, actor=user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已安排驻站"))
            return redirect("deputies:detail", pk=deputy.pk)
    context = {"form": form, "deputy": deputy, "title": _("安排驻站")}
    return render(request, "staff/deputies/subform.html", context)


@require_POST
@staff_view
def assignment_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    user = _user(request)
    deputy = selectors.deputy_get_for_user(user, pk)
    assignment = get_object_or_404(deputy.assignments.all(), pk=assignment_pk)
    if not permissions.can_end_assignment(user, assignment):
        raise PermissionDenied
    return _end_and_redirect(
        request,
        deputy,
        lambda ends_on: services.assignment_end(assignment=assignment, actor=user, ends_on=ends_on),
        _("驻站安排已结束"),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _managed_deputy(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_set_photo(
                deputy=deputy, actor=_user(request), photo=form.cleaned_data["photo"]
            )
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, _("照片已更新"))
            return redirect("deputies:detail", pk=deputy.pk)
    context = {
        "form": form,
        "deputy": deputy,
        "title": _("上传照片"),
        "multipart": True,
        "max_mb": settings.MAX_PHOTO_BYTES // (1024 * 1024),
    }
    return render(request, "staff/deputies/subform.html", context)


@require_GET
@staff_view
def portrait(request: HttpRequest, pk: int) -> FileResponse:
    """The portrait of a deputy the viewer may see (also those no longer in office)."""
    deputy = selectors.deputy_get_for_user(_user(request), pk)
    if not deputy.photo:
        raise Http404
    content_type = stored_image_type(deputy.photo)
    return file_response(
        deputy.photo,
        content_type=content_type,
        filename=f"{deputy.code}.{content_type.split('/')[-1]}",
        inline=True,
        cache="private, max-age=3600",
    )


@require_GET
@staff_view
def qr_code(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = selectors.deputy_get_for_user(_user(request), pk)
    response = HttpResponse(deputy_qr_svg(request, deputy), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@staff_view
def poster(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    deputy = selectors.deputy_get_for_user(_user(request), pk)
    try:
        content, content_type = deputy_poster(request, deputy, fmt=fmt)
    except PosterUnavailable as error:
        return render(
            request,
            "staff/deputies/poster_unavailable.html",
            {"deputy": deputy, "message": str(error)},
            status=503,
        )
    response = HttpResponse(content, content_type=content_type)
    filename = f"deputy-{deputy.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
