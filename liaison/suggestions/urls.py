from django.urls import path

from liaison.suggestions import views_deputy, views_detail, views_queues, views_reports

app_name = "suggestions"
urlpatterns = [
    path("", views_deputy.mine, name="mine"),
    path("new/", views_deputy.new, name="new"),
    path("queue/", views_queues.queue, name="queue"),
    path("units/", views_queues.units, name="units"),
    path("table/", views_reports.table, name="table"),
    path("report/", views_reports.report, name="report"),
    path("report.docx", views_reports.report_docx, name="report_docx"),
    path("register.xlsx", views_reports.register, name="register"),
    path("<int:pk>/", views_detail.detail, name="detail"),
    path("<int:pk>/edit/", views_deputy.edit, name="edit"),
    path("<int:pk>/autosave/", views_deputy.autosave, name="autosave"),
    path("<int:pk>/letter/", views_detail.letter, name="letter"),
    path("<int:pk>/do/<slug:action>/", views_detail.act, name="act"),
]
