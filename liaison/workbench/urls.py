from django.urls import path

from liaison.workbench import views, views_calendar, views_duties, views_supervision

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    # The 督办总览 page joins the case loop (supervisions) with reports (reply quality by unit).
    path("cases/supervision/", views_supervision.case_supervision, name="supervision"),
    # Reception days joined with the stations' pop-ups (and later other sources of entries).
    path("calendar/", views_calendar.reception_calendar, name="calendar"),
    path("duties/", views_duties.my_duties, name="duties"),
]
