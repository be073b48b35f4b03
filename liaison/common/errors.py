"""Error pages in Chinese, in the site's own layout, with a way back.

Django's defaults are bare English pages (tiny on a phone), and its CSRF page tells a citizen to
set DEBUG=True. These handlers render `templates/errors/*.html` (public layout, plus a link to the
workbench for staff addresses). The 500 handler must never fail itself: if the template cannot be
rendered it falls back to a plain Chinese sentence.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _context(request: HttpRequest, *, title: str, message: str) -> dict[str, Any]:
    is_staff_page = request.path.startswith(("/staff/", "/admin/"))
    return {"title": title, "message": message, "is_staff_page": is_staff_page}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = _context(request, title=_("请求有误"), message=_("请求的内容无法识别，请返回重试。"))
    return render(request, "errors/error.html", context, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("您没有权限访问此页面。如需办理，请联系所在辖区的工作人员授权。")
    context = _context(request, title=_("无权访问"), message=message)
    return render(request, "errors/error.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("您要找的页面不存在，或已被移除。请检查网址，或从首页重新进入。")
    context = _context(request, title=_("页面不存在"), message=message)
    return render(request, "errors/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    message = _("系统暂时出现问题，已记录在案。您提交的内容不会丢失，请稍后再试。")
    try:
        context = _context(request, title=_("系统繁忙"), message=message)
        return render(request, "errors/error.html", context, status=500)
    except Exception:  # the error page itself must not fail
        logger.exception("error page could not be rendered")
        return HttpResponse(message, status=500, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent from an expired page (or with cookies off): say so, in words people use."""
    message = _(
        "页面已过期或浏览器禁用了 Cookie，本次提交未被接收。请返回上一页，刷新后重新提交；"
        "如仍不行，请允许本网站使用 Cookie。"
    )
    context = _context(request, title=_("页面已过期"), message=message)
    return render(request, "errors/error.html", context, status=403)
