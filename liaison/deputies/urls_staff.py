from django.urls import path

from liaison.deputies import views_staff as views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("new/", views.deputy_create, name="create"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    path("<int:pk>/edit/", views.deputy_edit, name="edit"),
    path("<int:pk>/private/", views.deputy_reveal, name="reveal"),
    path("<int:pk>/photo/", views.photo_upload, name="photo"),
    path("<int:pk>/portrait/", views.portrait, name="portrait"),
    path("<int:pk>/seats/new/", views.seat_add, name="seat_add"),
    path("<int:pk>/seats/<int:seat_pk>/end/", views.seat_end, name="seat_end"),
    path("<int:pk>/assignments/new/", views.assignment_add, name="assignment_add"),
    path(
        "<int:pk>/assignments/<int:assignment_pk>/end/",
        views.assignment_end,
        name="assignment_end",
    ),
    path("<int:pk>/qr.svg", views.qr_code, name="qr"),
    path("<int:pk>/poster.pdf", views.poster, {"fmt": "pdf"}, name="poster_pdf"),
    path("<int:pk>/poster.png", views.poster, {"fmt": "png"}, name="poster_png"),
]
