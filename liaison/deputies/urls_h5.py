from django.urls import path

from liaison.deputies import views_h5

app_name = "deputies_h5"
urlpatterns = [
    path("<str:code>/", views_h5.deputy_detail, name="detail"),
    path("<str:code>/photo/", views_h5.deputy_photo, name="photo"),
]
