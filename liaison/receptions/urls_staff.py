from django.urls import path

from liaison.receptions import views_deputy, views_reports, views_staff

app_name = "receptions"
urlpatterns = [
    path("schedules/", views_staff.schedule_list, name="schedules"),
    path("schedules/new/", views_staff.schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/stop/", views_staff.schedule_stop, name="schedule_stop"),
    path("days/new/", views_staff.day_create, name="day_create"),
    path("days/<int:pk>/", views_staff.day_detail, name="day"),
    path("days/<int:pk>/cancel/", views_staff.day_cancel, name="day_cancel"),
    path("days/<int:pk>/rota/", views_staff.rota_add, name="rota_add"),
    path("days/<int:pk>/rota/<int:duty_pk>/remove/", views_staff.rota_remove, name="rota_remove"),
    path(
        "days/<int:pk>/rota/<int:duty_pk>/confirm/",
        views_staff.duty_confirm_for,
        name="duty_confirm_for",
    ),
    path("days/<int:pk>/swaps/<int:swap_pk>/", views_staff.swap_decide, name="swap_decide"),
    path("days/<int:pk>/record/", views_staff.day_record, name="record"),
    path("days/<int:pk>/photos/<int:photo_pk>/", views_staff.record_photo, name="photo"),
    path("duties/<int:pk>/confirm/", views_deputy.duty_confirm, name="duty_confirm"),
    path("duties/<int:pk>/swap/", views_deputy.swap_request, name="swap_request"),
    path("swaps/<int:pk>/withdraw/", views_deputy.swap_withdraw, name="swap_withdraw"),
    path("attendance/", views_reports.attendance_gaps, name="attendance"),
    path("register/", views_reports.register, name="register"),
]
