"""Assessing stations against their jurisdiction's checklist (建设标准评估)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.common.uploads import CleanFile, clean_image
from liaison.stations.models import (
    AssessmentPhoto,
    Station,
    StationAssessment,
)
from liaison.stations.permissions import (
    can_assess_station,
)
from liaison.stations.services.stations import lock_station
from liaison.stations.standards import result_for, standard_items_for, thresholds_for

MAX_ASSESSMENT_PHOTOS: Final = 10

# --- assessments -----------------------------------------------------------------------------


def _score_of(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def station_assessment_create(
    *,
    station: Station,
    actor: User,
    assessed_on: datetime.date,
    scores: Mapping[str, Decimal | int | str],
    item_notes: Mapping[str, str] | None = None,
    note: str = "",
    photos: Sequence[UploadedFile[bytes]] = (),
) -> StationAssessment:
    """Assess a station against its jurisdiction's checklist and keep the latest on the row."""
    item_notes = item_notes or {}
    with transaction.atomic():
        station = lock_station(station)
        if not can_assess_station(actor, station):
            raise PermissionDenied
        checklist = standard_items_for(station.region)
        errors: dict[str, list[str]] = {}
        if assessed_on > timezone.localdate():
            errors.setdefault("assessed_on", []).append(_("评估日期不能晚于今天"))
        items: list[dict[str, Any]] = []
        total = Decimal(0)
        full = Decimal(0)
        for item in checklist:
            field = f"score_{item['key']}"
            score = _score_of(scores.get(item["key"], ""))
            max_score = Decimal(item["max_score"])
            if score is None:
                errors.setdefault(field, []).append(
                    _("请填写“%(name)s”的得分") % {"name": item["name"]}
                )
                continue
            if not Decimal(0) <= score <= max_score:
                errors.setdefault(field, []).append(
                    _("“%(name)s”的得分应在 0 到 %(max)s 之间")
                    % {"name": item["name"], "max": item["max_score"]}
                )
                continue
            score = score.quantize(Decimal("0.1"))
            total += score
            full += max_score
            items.append(
                {
                    "key": item["key"],
                    "name": item["name"],
                    "max_score": item["max_score"],
                    "score": float(score),
                    "note": str(item_notes.get(item["key"], "")).strip()[:500],
                }
            )
        if len(photos) > MAX_ASSESSMENT_PHOTOS:
            errors.setdefault("photos", []).append(
                _("佐证照片最多 %(n)s 张") % {"n": MAX_ASSESSMENT_PHOTOS}
            )
        # Checked and re-encoded before the first write (EXIF/GPS dropped, random names).
        clean_photos: list[CleanFile] = []
        for photo in photos:
            try:
                clean_photos.append(clean_image(photo))
            except ValidationError as error:
                errors.setdefault("photos", []).extend(
                    f"{photo.name}：{message}" for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        result = result_for(score=total, max_score=full, thresholds=thresholds_for(station.region))
        assessment = StationAssessment.objects.create(
            station=station,
            assessed_on=assessed_on,
            assessor=actor,
            items=items,
            score=total,
            result=result,
            note=note.strip(),
        )
        for clean in clean_photos:
            stored = AssessmentPhoto(assessment=assessment)
            stored.image.save(clean.random_name(), clean.as_file(), save=False)
            stored.save()
        before = _latest_assessment_snapshot(station)
        if station.assessed_on is None or assessed_on >= station.assessed_on:
            station.assessment_result = result
            station.assessment_score = total
            station.assessed_on = assessed_on
            station.save(update_fields=["assessment_result", "assessment_score", "assessed_on"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assessment,
            region_code=station.region_id,
            before=before,
            after={
                "station": station.pk,
                "assessed_on": assessed_on,
                "score": total,
                "result": result,
                "items": items,
                "photos": len(photos),
            },
        )
    return assessment


def _latest_assessment_snapshot(station: Station) -> dict[str, Any]:
    return snapshot(station, ("assessment_result", "assessment_score", "assessed_on"))
