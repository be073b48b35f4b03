"""The deputy's own page (on the phone): activities they are invited to, confirm attendance."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.activities import selectors
from liaison.activities.models import Participation
from liaison.activities.permissions import deputy_id_of
from liaison.activities.views_common import can_confirm
from liaison.common.paging import paginate
from liaison.deputies.models import Deputy


@staff_required(Capability.ATTEND_ACTIVITIES)
@require_GET
def my_activities(request: AuthedHttpRequest) -> HttpResponse:
    deputy_id = deputy_id_of(request.user)
    if deputy_id is None:
        raise Http404("no deputy record")
    context = paginate(request, selectors.activities_of_deputy(deputy_id), per_page=10)
    page = list(context["page_obj"].object_list)
    own = {
        p.activity_id: p
        for p in Participation.objects.filter(
            deputy_id=deputy_id, activity_id__in=[a.pk for a in page]
        )
    }
    year = timezone.localdate().year
    deputy = Deputy.objects.get(pk=deputy_id)
    context.update(
        {
            "rows": [(a, own.get(a.pk), can_confirm(a, own.get(a.pk))) for a in page],
            "hours": selectors.training_hours(deputy=deputy, year=year),
            "year": year,
        }
    )  # fmt: skip
    return render(request, "staff/activities/mine.html", context)
