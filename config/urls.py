from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from liaison.accounts.admin_site import restrict_admin_to_system_admins

restrict_admin_to_system_admins(admin.site)

urlpatterns = [
    # The APIs first: the public intake is the busiest path, and resolving tries patterns in order.
    path("api/v1/public/", include("liaison.cases.urls_api")),
    path("api/", include("liaison.api.urls")),
    path("", include("liaison.stations.urls_h5")),
    path("d/", include("liaison.deputies.urls_h5")),
    path("cases/", include("liaison.cases.urls_h5")),
    path("r/", include("liaison.receptions.urls_h5")),
    path("dr/", include("liaison.dutyreports.urls_h5")),
    path("staff/", include("liaison.workbench.urls")),
    path("staff/", include("liaison.accounts.urls")),
    path("staff/audit/", include("liaison.accounts.urls_audit")),
    path("staff/settings/", include("liaison.jurisdiction.urls")),
    path("staff/jobs/", include("liaison.jobs.urls")),
    path("staff/stations/", include("liaison.stations.urls_staff")),
    path("staff/deputies/", include("liaison.deputies.urls_staff")),
    path("staff/grids/", include("liaison.grids.urls_staff")),
    path("staff/cases/", include("liaison.cases.urls_staff")),
    path("staff/units/", include("liaison.units.urls")),
    path("staff/inbox/", include("liaison.notifications.urls")),
    path("staff/insights/", include("liaison.insights.urls")),
    path("staff/reports/", include("liaison.reports.urls")),
    path("staff/activities/", include("liaison.activities.urls")),
    path("staff/receptions/", include("liaison.receptions.urls_staff")),
    path("staff/suggestions/", include("liaison.suggestions.urls")),
    path("staff/archives/", include("liaison.archives.urls")),
    path("staff/dutyreports/", include("liaison.dutyreports.urls")),
    path("staff/points/", include("liaison.points.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (Django admin).
    # Resolved per request: the static manifest is read only after collectstatic.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.ico"))),
    # No route serves MEDIA_ROOT: uploads and exports go out only through views that check the
    # viewer (liaison/common/downloads.py); a reverse proxy must not serve it either.
]

# Error pages in Chinese in the site's layout (liaison/common/errors.py).
handler400 = "liaison.common.errors.bad_request"
handler403 = "liaison.common.errors.permission_denied"
handler404 = "liaison.common.errors.page_not_found"
handler500 = "liaison.common.errors.server_error"
