"""A URLconf with a view that fails, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
handler500 = "liaison.common.errors.server_error"
