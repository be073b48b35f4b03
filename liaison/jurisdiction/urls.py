from django.urls import path

from liaison.jurisdiction import views_staff

app_name = "jurisdiction"
urlpatterns = [
    path("", views_staff.settings_page, name="settings"),
    path("calendar/", views_staff.calendar_page, name="calendar"),
    path("calendar/<str:code>/add/", views_staff.calendar_override_add, name="calendar_add"),
    path(
        "calendar/<str:code>/<str:day>/remove/",
        views_staff.calendar_override_remove,
        name="calendar_remove",
    ),
    path("<str:code>/<str:key>/", views_staff.setting_edit, name="setting_edit"),
    path("<str:code>/<str:key>/clear/", views_staff.setting_clear, name="setting_clear"),
]
