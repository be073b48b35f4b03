"""The public intake API (`/api/v1/public/`), a contract used by outside systems — keep it.

- `GET  stations` — active stations with their `code`, name, kind, region_code, address (a plain
  JSON list; `?region=` narrows to a region subtree, `?q=` searches names).
- `POST cases` — `{station_code | deputy_code, kind, title, content, contact_name?,
  contact_phone?, allow_publish?, place?, is_anonymous?, consent?, client_token?}` → 201
  `{tracking_code, pin, created: true}`. The same `client_token` again → **201** as well (a client
  retrying after a lost response gets the status it would have got) with
  `{tracking_code, pin: null, created: false}`, and nothing is created. Consent to the PIPL notice
  is given by the calling system on behalf of the person (`consent` defaults to true; `false` is
  refused). Field errors → 400 `{field: [中文信息]}`; an unknown or inactive station/deputy code
  is a field error too (400), never 404.
- `POST cases/{tracking_code}` with `{"pin": "…"}`, or `GET cases/{tracking_code}` with the
  header `X-Case-Pin: …` → `{tracking_code, status, status_label, timeline, reply}` with public
  events only; an unknown code and a wrong PIN are the same 404. The PIN never goes in the query
  string (URLs end up in access logs): `?pin=` is refused with 400, unread. After
  `PIN_GUARD_MAX_FAILURES` wrong PINs for one code (from any addresses) the code is locked: 403
  with a Chinese `detail`, for every PIN, until a new one is issued (SMS resend or station staff).
- Malformed JSON (any depth, any encoding) → 400 `{detail}` in Chinese, never a 500; control
  characters in a field → 400 naming the field.
- Bursts from one address → 429 `{detail}` with a Retry-After header.

No session authentication (so no CSRF); nothing here reveals anything without the PIN.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.cases.api_input import parse_case_in
from liaison.cases.free_text import case_texts_masked
from liaison.cases.intake_spec import BLANK, FIELDS, INVALID, REQUIRED, FieldType, IntakeField
from liaison.cases.models import Status
from liaison.cases.selectors import public_timeline
from liaison.cases.services.journal import intake_entry_submit
from liaison.cases.services.pins import PinVerdict, locked_message
from liaison.cases.tracking import case_by_tracking_code
from liaison.common import ratelimit
from liaison.common.text import JSONBodyError, json_parse
from liaison.deputies.selectors import deputy_public_get
from liaison.stations import selectors as station_selectors
from liaison.stations.models import Station

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_FOUND_DETAIL = "查询码或查询密码不正确"
PIN_HEADER = "X-Case-Pin"


class StationOutSerializer(serializers.ModelSerializer[Station]):
    region_code = serializers.CharField(source="region_id")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Station
        fields = ["code", "name", "kind", "kind_label", "region_code", "address"]


def _schema_field(field: IntakeField) -> serializers.Field[Any, Any, Any, Any]:
    """The DRF field that documents one field of the intake request in the OpenAPI schema."""
    messages: dict[str, StrOrPromise] = {"required": REQUIRED, "blank": BLANK, "invalid": INVALID}
    help_text = str(field.label)
    if field.type is FieldType.CHOICE:
        return serializers.ChoiceField(
            choices=list(field.choices),
            required=field.required,
            help_text=help_text,
            error_messages={**messages, "invalid_choice": field.invalid_choice},
        )
    if field.type is FieldType.BOOL:
        return serializers.BooleanField(required=False, default=field.default, help_text=help_text)
    return serializers.CharField(
        required=field.required,
        allow_blank=not field.required,
        max_length=field.max_length,
        help_text=help_text,
        error_messages=messages,
    )


# The documented request body (OpenAPI component "CaseIn"), generated from the one declaration of
# the intake request. Requests are parsed by `api_input.parse_case_in` from the same declaration
# (a serializer costs as much as the insert); the business rules live in case_submit.
CaseInSerializer: type[serializers.Serializer[dict[str, Any]]] = type(
    "CaseInSerializer",
    (serializers.Serializer,),
    {field.name: _schema_field(field) for field in FIELDS},
)


CaseCreatedSerializer = inline_serializer(
    name="CaseCreated",
    fields={
        "tracking_code": serializers.CharField(),
        "pin": serializers.CharField(allow_null=True),
        "created": serializers.BooleanField(),
    },
)
TimelineItemSerializer = inline_serializer(
    name="TimelineItem",
    fields={
        "at": serializers.DateTimeField(),
        "kind": serializers.CharField(),
        "label": serializers.CharField(),
        "note": serializers.CharField(),
    },
    many=True,
)
CaseStatusSerializer = inline_serializer(
    name="CaseStatus",
    fields={
        "tracking_code": serializers.CharField(),
        "status": serializers.ChoiceField(choices=Status.choices),
        "status_label": serializers.CharField(),
        "reply": serializers.CharField(),
        "timeline": TimelineItemSerializer,
    },
)
DetailSerializer = inline_serializer(name="Detail", fields={"detail": serializers.CharField()})
PinInSerializer = inline_serializer(
    name="PinIn", fields={"pin": serializers.CharField(help_text="6 位查询密码")}
)


def _too_many(verdict: ratelimit.Verdict) -> Response:
    return Response(
        {"detail": verdict.message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers=ratelimit.too_many_headers(verdict),
    )


def _field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {"non_field_errors": list(exc.messages)}


class PublicAPIView(APIView):
    authentication_classes: list[Any] = []  # no session, hence no CSRF
    permission_classes = [AllowAny]


class StationListView(PublicAPIView):
    @extend_schema(
        summary="公开联络站列表",
        description="运行中的联络站及其站点码（提交意见时用 station_code）。",
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="区划代码，含下级"),
            OpenApiParameter("q", OpenApiTypes.STR, description="按名称搜索"),
        ],
        responses={200: StationOutSerializer(many=True)},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        raw_region = request.query_params.get("region", "").strip()
        region = station_selectors.region_by_code(raw_region) if raw_region else None
        if raw_region and region is None:
            return Response({"region": [_("区划代码不存在")]}, status=400)
        text = request.query_params.get("q", "").strip()[:100]
        stations = station_selectors.stations_public_directory(region=region, text=text)
        return Response(StationOutSerializer(stations, many=True).data)


def _addressee(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Station / deputy objects from their codes, or field errors."""
    found: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    station_code = (data.get("station_code") or "").strip().upper()
    deputy_code = (data.get("deputy_code") or "").strip().upper()
    if not station_code and not deputy_code:
        errors["station_code"] = [_("请提供 station_code 或 deputy_code")]
    if station_code:
        try:
            found["station"] = station_selectors.station_public_get_cached(station_code)
        except Http404:
            errors["station_code"] = [_("联络站不存在或已停用：%(c)s") % {"c": station_code}]
    if deputy_code:
        try:
            found["deputy"] = deputy_public_get(deputy_code)
        except Http404:
            errors["deputy_code"] = [_("代表不存在或已不在任：%(c)s") % {"c": deputy_code}]
    return found, errors


class CaseCreateView(PublicAPIView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # POST skips DRF's request wrapping, negotiation and renderers: plain JSON in and out on
        # the platform's hottest path (decision 0006). Other methods get DRF's 405.
        if request.method == "POST":
            return self.post(request)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        summary="提交意见建议",
        description=(
            "成功返回 201 与查询码、查询密码（仅此一次）。相同 client_token 再次提交同样返回 201、"
            "同一查询码，pin 为 null、created 为 false，不会重复创建。"
            "consent 默认为 true（由调用系统代为取得群众对个人信息保护告知的同意）。"
            "字段错误返回 400；联络站码或代表码无效也返回 400。"
        ),
        request=CaseInSerializer,
        responses={
            201: CaseCreatedSerializer,
            400: OpenApiResponse(description="字段错误：{字段: [信息]}"),
            429: DetailSerializer,
        },
        tags=["public"],
    )
    def post(self, request: HttpRequest) -> HttpResponse:
        verdict = ratelimit.hit(request, ratelimit.CASE_SUBMIT)
        if not verdict.allowed:
            return _json(
                {"detail": verdict.message}, status=429, headers=ratelimit.too_many_headers(verdict)
            )
        body, error = _body(request)
        if error:
            return _json({"detail": error}, status=400)
        data, errors = parse_case_in(body)
        if errors:
            return _json(errors, status=400)
        addressee, errors = _addressee(data)
        if errors:
            return _json(errors, status=400)
        try:
            receipt = intake_entry_submit(
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                place=data.get("place", ""),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                is_anonymous=data["is_anonymous"],  # always set by parse_case_in
                allow_publish=data["allow_publish"],
                consent=data["consent"],
                client_token=data.get("client_token") or None,
                **addressee,
            )
        except DjangoValidationError as exc:
            return _json(_field_errors(exc), status=400)
        return _json(
            {
                "tracking_code": receipt.tracking_code,
                "pin": receipt.pin,
                "created": receipt.created,
            },
            status=201,
        )


def _json(body: Any, *, status: int, headers: dict[str, Any] | None = None) -> HttpResponse:
    """JSON as DRF renders it (UTF-8, compact), without DRF."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(
        # "replace": a character that cannot be UTF-8 must never turn an answer into a 500.
        content.encode("utf-8", "replace"),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def _body(request: HttpRequest) -> tuple[Any, str]:
    """The decoded body (JSON, or a form), or a message saying why it cannot be read."""
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.dict(), ""
    if content_type and content_type != "application/json":
        return None, _("不支持的请求类型：%(t)s，请使用 application/json") % {"t": content_type}
    try:
        return json_parse(request.body or b"null"), ""
    except JSONBodyError as exc:
        return None, str(exc)


_STATUS_RESPONSES = {
    200: CaseStatusSerializer,
    400: DetailSerializer,
    403: DetailSerializer,
    404: DetailSerializer,
    429: DetailSerializer,
}


class CaseStatusView(PublicAPIView):
    @extend_schema(
        summary="查询办理进度（请求头带查询密码）",
        description=(
            f"凭查询码和查询密码查看状态与公开的办理记录，查询密码放在请求头 {PIN_HEADER}。"
            "查询码不存在或密码错误均返回 404；同一查询码多次输错后被锁定，返回 403，"
            "须通过短信或联络站工作人员获取新密码。查询密码不得放在网址（?pin=）中，否则返回 400。"
        ),
        parameters=[
            OpenApiParameter(
                PIN_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                required=True,
                description="6 位查询密码",
            )
        ],
        responses=_STATUS_RESPONSES,
        tags=["public"],
    )
    def get(self, request: Request, tracking_code: str) -> Response:
        return self._lookup(request, tracking_code, request.headers.get(PIN_HEADER, ""))

    @extend_schema(
        summary="查询办理进度（请求体带查询密码）",
        description=(
            '与 GET 相同，查询密码放在 JSON 请求体 {"pin": "…"} 中。'
            "请求体不是有效的 JSON 时返回 400。"
        ),
        request=PinInSerializer,
        responses=_STATUS_RESPONSES,
        tags=["public"],
    )
    def post(self, request: Request, tracking_code: str) -> Response:
        data = request.data  # StrictJSONParser: malformed bodies are a 400 in Chinese
        pin = data.get("pin") if hasattr(data, "get") else None
        if pin is not None and not isinstance(pin, str):
            return Response({"pin": [_("格式不正确")]}, status=status.HTTP_400_BAD_REQUEST)
        return self._lookup(request, tracking_code, pin or request.headers.get(PIN_HEADER, ""))

    def _lookup(self, request: Request, tracking_code: str, pin: str) -> Response:
        if "pin" in request.query_params:
            # Refused unread: a PIN in a URL is already in some access log; do not teach it.
            detail = _("查询密码请放在请求头 %(h)s 或 POST 请求体中，不要放在网址里。") % {
                "h": PIN_HEADER
            }
            return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
        verdict = ratelimit.peek(request, ratelimit.PIN_ATTEMPT)
        if not verdict.allowed:
            return _too_many(verdict)
        found = case_by_tracking_code(code=tracking_code, pin=pin)
        if found.verdict is not PinVerdict.OK:
            ratelimit.hit(request, ratelimit.PIN_ATTEMPT)
        if found.verdict is PinVerdict.LOCKED:
            return Response({"detail": locked_message()}, status=status.HTTP_403_FORBIDDEN)
        case = found.case
        if case is None:
            return Response({"detail": NOT_FOUND_DETAIL}, status=status.HTTP_404_NOT_FOUND)

        timeline = [
            {
                "at": event.at.isoformat(),
                "kind": event.kind,
                "label": event.get_kind_display(),
                "note": event.note,
            }
            for event in public_timeline(case)
        ]
        return Response(
            {
                "tracking_code": case.tracking_code,
                "status": case.status,
                "status_label": case.get_status_display(),
                # Masked as on the tracking page and the echo wall (liaison/cases/free_text.py).
                "reply": case_texts_masked(case).reply if case.replied_at else "",
                "timeline": timeline,
            }
        )
