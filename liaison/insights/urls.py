from django.urls import path

from liaison.insights import views

app_name = "insights"
urlpatterns = [
    path("hot-topics/", views.hot_topics, name="hot_topics"),
]
