from django.urls import path

from liaison.activities import views_deputy, views_plans, views_posts, views_staff

app_name = "activities"
urlpatterns = [
    path("", views_staff.activity_list, name="list"),
    path("new/", views_staff.activity_plan, name="create"),
    path("queue/", views_staff.activity_queue, name="queue"),
    path("mine/", views_deputy.my_activities, name="mine"),
    path("<int:pk>/", views_staff.activity_detail, name="detail"),
    path("<int:pk>/edit/", views_staff.activity_edit, name="edit"),
    path("<int:pk>/record/", views_staff.activity_record, name="record"),
    path(
        "<int:pk>/<str:action>/",
        views_staff.activity_act,
        name="act",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views_staff.activity_attachment,
        name="attachment",
    ),
    path("plans/", views_plans.plan_index, name="plans"),
    path("plans/<int:station_pk>/<int:year>/", views_plans.plan_edit, name="plan"),
    path("plans/items/<int:pk>/remove/", views_plans.plan_item_remove, name="plan_item_remove"),
    path("plans/<int:pk>/publish/", views_plans.plan_publish, name="plan_publish"),
    path("posts/<int:post_pk>/", views_posts.post_work_log, name="post_log"),
    path("training/", views_plans.training_gaps, name="training"),
    path("registers/", views_plans.register_export, name="registers"),
]
