"""The classifier's quality in Django admin (system administrators only, see accounts.admin_site).

The changelist of `ClassificationFeedback` shows, above the rows, the confusion matrix
(hinted × chosen first-level category, with per-class precision and recall) and the accuracy by
month, for whatever the filters select (a region and everything under it, a model version, a
period). Metrics use the latest decision of each case and are computed with grouped aggregate
queries (`liaison.cases.classification.classification_metrics`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from liaison.cases.classification import classification_metrics
from liaison.cases.models import ClassificationFeedback
from liaison.regions.models import Level, Region, ancestor_codes
from liaison.regions.selectors import region_subtree_q

# Region levels offered by the filter: a jurisdiction reviews its model use at these levels.
_FILTER_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


class RegionSubtreeFilter(admin.SimpleListFilter):
    """A region and everything under it (the feedback stores the case's region code)."""

    title = _("辖区")
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # Only the regions of the rows this administrator may see (accounts.admin_site).
        rows = model_admin.get_queryset(request)
        codes = rows.order_by().values_list("region_id", flat=True)
        above = {code for region in codes.distinct() for code in ancestor_codes(region)}
        regions = Region.objects.filter(code__in=above, level__in=_FILTER_LEVELS).order_by("code")
        return [(r.code, r.name) for r in regions]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ClassificationFeedback]
    ) -> QuerySet[ClassificationFeedback]:
        value = self.value()
        if not value:
            return queryset
        region = Region.objects.filter(code=value).first()
        if region is None:
            return queryset.none()
        return queryset.filter(region_subtree_q(region, "region_id"))


@admin.register(ClassificationFeedback)
class ClassificationFeedbackAdmin(admin.ModelAdmin[ClassificationFeedback]):
    """Read-only: feedback rows are written by the case loop and never edited."""

    change_list_template = "admin/insights/classificationfeedback/change_list.html"
    list_display = (
        "at",
        "case_code",
        "region",
        "predicted_label",
        "confidence_display",
        "chosen_label",
        "agrees_display",
        "actor",
        "model_version",
    )
    list_filter = (RegionSubtreeFilter, "model_version", "needs_review", "chosen_label")
    date_hierarchy = "at"
    search_fields = ("case__tracking_code",)
    list_select_related = ("case", "region", "actor")
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("查询码"), ordering="case__tracking_code")
    def case_code(self, obj: ClassificationFeedback) -> str:
        return obj.case.tracking_code

    @admin.display(description=_("置信度"), ordering="confidence")
    def confidence_display(self, obj: ClassificationFeedback) -> str:
        return "—" if obj.confidence is None else f"{obj.confidence:.2f}"

    @admin.display(description=_("一致"), boolean=True)
    def agrees_display(self, obj: ClassificationFeedback) -> bool | None:
        return obj.agrees if obj.predicted_label else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            changelist = response.context_data.get("cl")
            if changelist is not None:  # the filtered selection, before paging
                response.context_data["metrics"] = classification_metrics(
                    feedback=changelist.queryset
                )
        return response
