from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.deputies.forms import (
    AssignmentForm,
    DeputyForm,
    PhotoForm,
    SeatForm,
    normalize_id_number,
    normalize_mobile,
)
from liaison.regions.models import Region
from liaison.regions.tests.factories import CHANGSHA, YUELU, YUELU_STREET

VALID_ID = "11010519491231002X"


def png_bytes(size: tuple[int, int] = (20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+8619912345678", "19912345678"),
    ],
)
def test_mobile_accepts_mainland_numbers(raw: str, clean: str) -> None:
    assert normalize_mobile(raw) == clean


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "0731-8888888", "abc"])
def test_mobile_rejects_other_numbers(raw: str) -> None:
    with pytest.raises(ValidationError, match="手机号码"):
        normalize_mobile(raw)


def test_id_number_accepts_valid_checksum_and_lowercase_x() -> None:
    assert normalize_id_number(VALID_ID.lower()) == VALID_ID


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "格式"),
        ("110105194912310021", "校验位"),
        ("110105194913310021", "出生日期"),
    ],
)
def test_id_number_rejects_bad_values(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        normalize_id_number(raw)


def test_deputy_form_reports_chinese_errors(hunan: None) -> None:
    form = DeputyForm(
        {"name": "", "gender": "male", "mobile": "123", "id_number": "110105194912310021"},
        regions=Region.objects.filter(code=YUELU),
    )
    assert not form.is_valid()
    assert "请输入有效的11位中国大陆手机号码" in form.errors["mobile"]
    assert "身份证号校验位不正确，请核对" in form.errors["id_number"]
    assert "home_region" in form.errors
    assert "name" in form.errors


def test_deputy_edit_form_keeps_blank_private_fields(hunan: None) -> None:
    form = DeputyForm({"name": "李四", "gender": "male", "mobile": ""}, editing=True)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert "mobile" not in kwargs
    assert "id_number" not in kwargs
    assert kwargs["name"] == "李四"


def seat_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "level": "county",
        "congress": YUELU,
        "term": "18",
        "constituency": "第一选区",
        "starts_on": "2021-12-01",
    }
    data.update(overrides)
    return data


def seat_form(**overrides: Any) -> SeatForm:
    return SeatForm(seat_data(**overrides), regions=Region.objects.all())


def test_seat_form_accepts_matching_level(hunan: None) -> None:
    assert seat_form().is_valid()
    assert seat_form(level="township", congress=YUELU_STREET).is_valid()
    assert seat_form(level="city", congress=CHANGSHA).is_valid()
    assert seat_form(level="national", congress="430000000000").is_valid()


@pytest.mark.parametrize(
    ("level", "congress"),
    [("township", YUELU), ("county", YUELU_STREET), ("city", YUELU), ("provincial", CHANGSHA)],
)
def test_seat_form_rejects_level_not_matching_congress(
    hunan: None, level: str, congress: str
) -> None:
    form = seat_form(level=level, congress=congress)
    assert not form.is_valid()
    assert "所属人大应选择" in form.errors["congress"][0]


@pytest.mark.parametrize("term", ["0", "100"])
def test_seat_form_rejects_term_out_of_range(hunan: None, term: str) -> None:
    form = seat_form(term=term)
    assert not form.is_valid()
    assert form.errors["term"] == ["届次应在 1 到 99 之间"]


def test_seat_form_rejects_end_before_start(hunan: None) -> None:
    form = seat_form(ends_on="2021-11-30")
    assert not form.is_valid()
    assert form.errors["ends_on"] == ["结束日期不能早于开始日期"]


def test_seat_form_rejects_congress_outside_choices(hunan: None) -> None:
    form = SeatForm(seat_data(), regions=Region.objects.filter(code=CHANGSHA))
    assert not form.is_valid()
    assert "congress" in form.errors


def test_assignment_form_requires_rota_for_rota_kind(station: Any) -> None:
    from liaison.stations.models import Station

    data = {"station": station.pk, "kind": "rota", "rota": "", "starts_on": "2025-01-01"}
    form = AssignmentForm(data, stations=Station.objects.all())
    assert not form.is_valid()
    assert form.errors["rota"] == ["轮值代表请填写轮值安排"]


def test_assignment_form_rejects_end_before_start(station: Any) -> None:
    from liaison.stations.models import Station

    data = {
        "station": station.pk,
        "kind": "resident",
        "starts_on": "2025-01-02",
        "ends_on": "2025-01-01",
    }
    form = AssignmentForm(data, stations=Station.objects.all())
    assert not form.is_valid()
    assert form.errors["ends_on"] == ["结束日期不能早于开始日期"]


def test_photo_form_accepts_png() -> None:
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    assert PhotoForm({}, {"photo": upload}).is_valid()


def test_photo_form_rejects_text_disguised_as_jpg() -> None:
    upload = SimpleUploadedFile("me.jpg", b"not an image at all", content_type="image/jpeg")
    form = PhotoForm({}, {"photo": upload})
    assert not form.is_valid()
    assert form.errors["photo"] == ["文件不是有效的图片"]


def test_photo_form_rejects_oversized_file(settings: Any) -> None:
    settings.MAX_PHOTO_BYTES = 1024
    upload = SimpleUploadedFile("big.png", png_bytes((400, 400)) + b"\0" * 2048)
    form = PhotoForm({}, {"photo": upload})
    assert not form.is_valid()
    assert "图片超过 1 KB" in form.errors["photo"][0]


def test_photo_form_requires_a_file() -> None:
    form = PhotoForm({}, {})
    assert form.errors["photo"] == ["请选择图片文件"]
