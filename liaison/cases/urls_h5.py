from django.urls import path

from liaison.cases import views_h5

app_name = "cases_h5"
urlpatterns = [
    path("new/", views_h5.submit, name="submit"),
    path("new/done/", views_h5.submitted, name="submitted"),
    path("track/", views_h5.track, name="track"),
    path("track/pin/", views_h5.track_pin, name="track_pin"),
    path("track/<str:code>/", views_h5.track_case, name="track"),
    path("track/<str:code>/rate/", views_h5.track_rate, name="track_rate"),
    path("track/<str:code>/withdraw/", views_h5.track_withdraw, name="track_withdraw"),
    path("echo/", views_h5.echo, name="echo"),
]
