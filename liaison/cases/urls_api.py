from django.urls import path

from liaison.cases import api_public

app_name = "cases_api"
# Both spellings (with and without the trailing slash) answer; only one is in the schema.
urlpatterns = [
    path("stations", api_public.StationListView.as_view(), name="stations"),
    path("stations/", api_public.StationListView.as_view(schema=None)),
    path("cases", api_public.CaseCreateView.as_view(), name="cases"),
    path("cases/", api_public.CaseCreateView.as_view(schema=None)),
    path("cases/<str:tracking_code>", api_public.CaseStatusView.as_view(), name="case"),
    path("cases/<str:tracking_code>/", api_public.CaseStatusView.as_view(schema=None)),
]
