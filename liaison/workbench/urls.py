from django.urls import path

from liaison.workbench import views, views_supervision

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    # The 督办总览 page joins the case loop (supervisions) with reports (reply quality by unit).
    path("cases/supervision/", views_supervision.case_supervision, name="supervision"),
]
