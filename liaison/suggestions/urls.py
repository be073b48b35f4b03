from django.urls import path

from liaison.suggestions import (
    views_deputy,
    views_detail,
    views_exports,
    views_help,
    views_queues,
    views_reports,
    views_sources,
)

app_name = "suggestions"
urlpatterns = [
    path("", views_deputy.mine, name="mine"),
    path("new/", views_deputy.new, name="new"),
    path("help/new/", views_help.help_new, name="help_new"),
    path("queue/", views_queues.queue, name="queue"),
    path("units/", views_queues.units, name="units"),
    path("table/", views_reports.table, name="table"),
    path("report/", views_reports.report, name="report"),
    path("exports/<slug:kind>/new/", views_exports.export_new, name="export_new"),
    path("<int:pk>/", views_detail.detail, name="detail"),
    path("<int:pk>/edit/", views_deputy.edit, name="edit"),
    path("<int:pk>/autosave/", views_deputy.autosave, name="autosave"),
    path("<int:pk>/sources/add/", views_sources.source_add, name="source_add"),
    path(
        "<int:pk>/sources/<int:source_id>/remove/",
        views_sources.source_remove,
        name="source_remove",
    ),
    path("<int:pk>/letter/", views_detail.letter, name="letter"),
    path("<int:pk>/do/<slug:action>/", views_detail.act, name="act"),
]
