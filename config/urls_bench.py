"""The real URLs plus `/bench/bare/`, the smallest Django view, as the benchmark's yardstick."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *real_urlpatterns]
