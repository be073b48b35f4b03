from django.urls import path

from liaison.receptions import views_h5

app_name = "receptions_h5"
urlpatterns = [
    path("s/<str:code>.ics", views_h5.station_feed, name="station_feed"),
    path("d/<str:code>.ics", views_h5.deputy_feed, name="deputy_feed"),
    path("signin/<str:code>/", views_h5.signin, name="signin"),
]
