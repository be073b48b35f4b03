from django.urls import path

from liaison.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/toggle/", views.unit_toggle, name="toggle"),
    path("<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("<int:pk>/rules/<int:rule_pk>/remove/", views.rule_remove, name="rule_remove"),
    path("<int:pk>/staff/", views.staff_add, name="staff_add"),
    path("<int:pk>/staff/<int:membership_pk>/remove/", views.staff_remove, name="staff_remove"),
]
