from django.urls import path

from liaison.stations import views_staff as views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("new/", views.station_create, name="create"),
    path("lookup/", views.station_lookup, name="lookup"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("<int:pk>/edit/", views.station_edit, name="edit"),
    path("<int:pk>/status/", views.station_status, name="status"),
    path("<int:pk>/move/", views.station_move, name="move"),
    path("<int:pk>/appearances/new/", views.appearance_add, name="appearance_add"),
    path(
        "<int:pk>/appearances/<int:appearance_pk>/cancel/",
        views.appearance_cancel,
        name="appearance_cancel",
    ),
    path("<int:pk>/assess/", views.station_assess, name="assess"),
    path(
        "<int:pk>/assessment-photos/<int:photo_pk>/",
        views.assessment_photo,
        name="assessment_photo",
    ),
    path("<int:pk>/poster.pdf", views.station_poster_pdf, name="poster_pdf"),
    path("<int:pk>/poster.png", views.station_poster_png, name="poster_png"),
    path("<int:pk>/qr.png", views.station_qr_png, name="qr_png"),
]
