from django.urls import path

from liaison.grids import views_assign, views_coverage, views_staff

app_name = "grids"
urlpatterns = [
    path("", views_staff.grid_list, name="list"),
    path("new/", views_staff.grid_create, name="create"),
    path("coverage/", views_coverage.coverage_page, name="coverage"),
    path("coverage/<str:show>/export/", views_coverage.coverage_export, name="coverage_export"),
    path("register/export/", views_coverage.register_export, name="register_export"),
    path("<int:pk>/", views_staff.grid_detail, name="detail"),
    path("<int:pk>/edit/", views_staff.grid_edit, name="edit"),
    path("<int:pk>/deactivate/", views_staff.grid_deactivate, name="deactivate"),
    path("<int:pk>/posts/new/", views_staff.post_create, name="post_create"),
    path("posts/<int:pk>/", views_staff.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views_staff.post_edit, name="post_edit"),
    path("posts/<int:pk>/deactivate/", views_staff.post_deactivate, name="post_deactivate"),
    path("posts/<int:pk>/assign/", views_assign.post_assign, name="assign"),
    path("assignments/<int:pk>/end/", views_assign.assignment_end, name="assignment_end"),
]
