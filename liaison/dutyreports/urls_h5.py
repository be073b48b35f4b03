from django.urls import path

from liaison.dutyreports import views_h5

app_name = "dutyreports_h5"
urlpatterns = [
    path("<int:pk>/", views_h5.report_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views_h5.report_photo, name="photo"),
    path("rate/<str:token>/", views_h5.rate, name="rate"),
]
