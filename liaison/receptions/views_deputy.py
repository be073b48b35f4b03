"""The deputy's own actions on a duty (from the "my duties" page on their phone): confirm that
they came, ask for a swap or to give the day up, withdraw the request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.deputies.models import Deputy
from liaison.receptions.forms import SwapForm
from liaison.receptions.models import DutyStatus, ReceptionDuty, SwapRequest
from liaison.receptions.permissions import deputy_of
from liaison.receptions.services import rota, swaps
from liaison.stations.forms import apply_service_errors

duty_required = staff_required(Capability.TAKE_RECEPTION_DUTY)


def _own_duty(request: AuthedHttpRequest, pk: int) -> tuple[Deputy, ReceptionDuty]:
    deputy = deputy_of(request.user)
    duty = (
        ReceptionDuty.objects.filter(pk=pk, deputy=deputy, status=DutyStatus.ON_DUTY)
        .select_related("day__station", "deputy")
        .first()
        if deputy is not None
        else None
    )
    if deputy is None or duty is None:
        raise Http404("not your duty")
    return deputy, duty


@duty_required
@require_POST
def duty_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _deputy, duty = _own_duty(request, pk)
    try:
        rota.duty_confirm(duty=duty, actor=request.user, present=True)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已确认到场，感谢您的参与"))
    return redirect("workbench:duties")


@duty_required
@require_http_methods(["GET", "POST"])
def swap_request(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deputy, duty = _own_duty(request, pk)
    # Colleagues at the same station first; any deputy in office of the same region may stand in.
    colleagues = (
        Deputy.objects.filter(is_active=True, assignments__station=duty.day.station)
        .exclude(pk=deputy.pk)
        .distinct()
        .order_by("name")[:200]
    )
    form = SwapForm(request.POST or None, deputies=[(d.pk, d.name) for d in colleagues])
    if request.method == "POST" and form.is_valid():
        replacement_id = form.cleaned_data["replacement"]
        replacement = next((d for d in colleagues if d.pk == replacement_id), None)
        try:
            swaps.swap_request(
                duty=duty,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                replacement=replacement,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("调班申请已提交，等待联络站审批"))
            return redirect("workbench:duties")
    return render(request, "staff/receptions/swap_form.html", {"form": form, "duty": duty})


@duty_required
@require_POST
def swap_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    swap = SwapRequest.objects.filter(pk=pk, requested_by=request.user).first()
    if swap is None:
        raise Http404("not your request")
    try:
        swaps.swap_withdraw(swap=swap, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回调班申请"))
    return redirect("workbench:duties")
