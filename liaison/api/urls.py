from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from liaison.api import dutyreports, suggestions, views, views_activities, views_receptions

router = DefaultRouter()
router.include_format_suffixes = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("stations", views.StationViewSet, basename="station")
router.register("deputies", views.DeputyViewSet, basename="deputy")
router.register("grids", views.GridViewSet, basename="grid")
router.register("activities", views_activities.ActivityViewSet, basename="activity")
router.register("reception-days", views_receptions.ReceptionDayViewSet, basename="reception-day")
router.register("suggestions", suggestions.SuggestionViewSet, basename="suggestion")
router.register("duty-reports", dutyreports.DutyReportViewSet, basename="duty-report")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
