from django.urls import path

from liaison.points import views

app_name = "points"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("mine/", views.my_points, name="mine"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin/export/", views.bulletin_export, name="bulletin_export"),
    path("deputies/<int:pk>/", views.deputy_ledger, name="ledger"),
    path("deputies/<int:pk>/correct/", views.correct, name="correct"),
]
