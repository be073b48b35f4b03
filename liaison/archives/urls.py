from django.urls import path

from liaison.archives import views

app_name = "archives"

urlpatterns = [
    path("deputies/", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("deputies/<int:pk>/", views.deputy_file, name="file"),
    path("deputies/<int:pk>/file.docx", views.deputy_file_docx, name="file_docx"),
    path("deputies/<int:pk>/file.pdf", views.deputy_file_pdf, name="file_pdf"),
    path("registers/", views.station_year, name="station_year"),
]
