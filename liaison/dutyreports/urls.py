from django.urls import path

from liaison.dutyreports import views_staff

app_name = "dutyreports"
urlpatterns = [
    path("", views_staff.report_list, name="list"),
    path("new/", views_staff.report_schedule, name="create"),
    path("mine/", views_staff.my_reports, name="mine"),
    path("not-reported/", views_staff.not_reported, name="not_reported"),
    path("<int:pk>/", views_staff.report_detail, name="detail"),
    path("<int:pk>/hold/", views_staff.report_hold, name="hold"),
    path("<int:pk>/sheet/", views_staff.report_sheet, name="sheet"),
    path("<int:pk>/photos/<int:photo_pk>/", views_staff.report_photo, name="photo"),
    path("<int:pk>/<str:action>/", views_staff.report_act, name="act"),
]
