"""The deputy's QR code (代表码) and printable poster, built with the shared renderers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.common.fonts import CJKFontMissing
from liaison.common.posters import poster_pdf, poster_png
from liaison.common.qr import qr_svg_document
from liaison.deputies.display import seat_title
from liaison.deputies.models import AssignmentKind, Deputy, StationDeputy
from liaison.deputies.permissions import is_current

POSTER_FORMATS = {"pdf": "application/pdf", "png": "image/png"}


class PosterUnavailable(RuntimeError):
    """The poster cannot be rendered here (no CJK font installed); the message says what to do."""


def public_url(request: HttpRequest, deputy: Deputy) -> str:
    """The absolute URL printed on the QR code: the scan-counting redirect to the 亮身份 page."""
    path = reverse("h5:scan", args=[deputy.code])
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    return request.build_absolute_uri(path)


def deputy_qr_svg(request: HttpRequest, deputy: Deputy) -> bytes:
    """The deputy code as a standalone SVG document (served as image/svg+xml)."""
    return qr_svg_document(public_url(request, deputy))


def assignment_line(assignment: StationDeputy) -> str:
    """驻站：X for a resident deputy; 轮值：X（每月第一个周三） for one on a rota."""
    if assignment.kind == AssignmentKind.ROTA:
        if assignment.rota:
            return _("轮值：%(station)s（%(rota)s）") % {
                "station": assignment.station.name,
                "rota": assignment.rota,
            }
        return _("轮值：%(station)s") % {"station": assignment.station.name}
    return _("驻站：%(station)s") % {"station": assignment.station.name}


def poster_lines(deputy: Deputy) -> list[str]:
    """Seats, stations and a call to scan; expects seats and assignments prefetched."""
    lines = [seat_title(s) for s in deputy.seats.all() if is_current(s.ends_on)]
    lines += [assignment_line(a) for a in deputy.assignments.all() if is_current(a.ends_on)]
    lines.append(_("扫码查看代表信息，反映意见建议"))
    return lines


def deputy_poster(request: HttpRequest, deputy: Deputy, *, fmt: str) -> tuple[bytes, str]:
    """The poster as (content, content type); raises PosterUnavailable without a CJK font."""
    render = poster_pdf if fmt == "pdf" else poster_png
    try:
        content = render(
            heading=_("人大代表亮身份"),
            title=deputy.name,
            lines=poster_lines(deputy),
            url=public_url(request, deputy),
        )
    except CJKFontMissing as error:
        raise PosterUnavailable(str(error)) from error
    return content, POSTER_FORMATS[fmt]
