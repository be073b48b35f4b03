from django.urls import path

from liaison.stations import views_h5

app_name = "h5"
urlpatterns = [
    path("", views_h5.home, name="home"),
    path("stations/", views_h5.directory, name="directory"),
    path("s/<str:code>/", views_h5.station, name="station"),
    path("q/<str:code>", views_h5.scan, name="scan"),
    path("q/<str:code>/", views_h5.scan),
]
