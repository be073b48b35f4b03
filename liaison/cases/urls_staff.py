from django.urls import path

from liaison.cases import views_staff as views

app_name = "cases"
urlpatterns = [
    path("", views.case_queue, name="queue"),
    path("bulk/", views.case_bulk, name="bulk"),
    path("new/", views.case_intake, name="intake"),
    path("import/", views.case_import, name="import"),
    path("import/template.<str:fmt>", views.case_import_template, name="import_template"),
    path("import/<int:pk>/", views.case_import_result, name="import_result"),
    path("export/", views.case_export, name="export"),
    path("kpis/", views.case_kpis, name="kpis"),
    path("new/similar/", views.case_intake_similar, name="intake_similar"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/reveal/", views.case_reveal, name="reveal"),
    path("<int:pk>/files/<int:attachment_pk>/", views.case_attachment, name="attachment"),
    path("<int:pk>/act/<slug:action>/", views.case_act, name="act"),
]
