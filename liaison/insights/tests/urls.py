"""The project's URLs plus the insights pages (mounted at /staff/insights/ in config.urls)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urls

urlpatterns = [
    path("staff/insights/", include("liaison.insights.urls")),
    *[p for p in project_urls if "insights" not in str(getattr(p, "pattern", ""))],
]
