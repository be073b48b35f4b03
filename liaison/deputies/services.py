"""Every write to deputies, seats and station assignments, each with an audit row."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_private_view, audit_record, diff, snapshot
from liaison.common.codes import new_public_code
from liaison.common.hotcache import clear_all as clear_hot_caches
from liaison.common.uploads import clean_image
from liaison.deputies.models import AssignmentKind, Deputy, DeputyLevel, Seat, StationDeputy
from liaison.deputies.permissions import is_current
from liaison.regions.models import Level, Region
from liaison.stations.models import Station, StationStatus

PUBLIC_FIELDS: Final = (
    "name",
    "gender",
    "occupation",
    "affiliation",
    "bio",
    "public_contact",
    "is_active",
    "home_region",
)
PRIVATE_FIELDS: Final = ("mobile", "id_number", "home_address")
AUDITED_FIELDS: Final = (*PUBLIC_FIELDS, *PRIVATE_FIELDS)
SEAT_FIELDS: Final = ("level", "congress", "term", "constituency", "starts_on", "ends_on")
ASSIGNMENT_FIELDS: Final = ("station", "kind", "rota", "starts_on", "ends_on")

# The region level of the congress for each seat level. A national deputy is elected by a
# provincial delegation, so its seat is recorded against the province.
CONGRESS_LEVEL: Final[Mapping[str, str]] = {
    DeputyLevel.NATIONAL: Level.PROVINCE,
    DeputyLevel.PROVINCIAL: Level.PROVINCE,
    DeputyLevel.CITY: Level.CITY,
    DeputyLevel.COUNTY: Level.COUNTY,
    DeputyLevel.TOWNSHIP: Level.TOWNSHIP,
}
# Lowest (most local) level first: the home region follows the most local current seat.
LEVEL_ORDER: Final = (
    DeputyLevel.TOWNSHIP,
    DeputyLevel.COUNTY,
    DeputyLevel.CITY,
    DeputyLevel.PROVINCIAL,
    DeputyLevel.NATIONAL,
)
CODE_ATTEMPTS: Final = 10


def _deputy_snapshot(deputy: Deputy) -> dict[str, Any]:
    return snapshot(deputy, AUDITED_FIELDS, private=PRIVATE_FIELDS)


def _deputy_diff(
    before: dict[str, Any], after: dict[str, Any], changed_private: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Diff the snapshots; a private field that changed is noted without its value."""
    old, new = diff(before, after)
    for name in changed_private:
        old[name] = before[name] or ""
        new[name] = "（已修改）" if after[name] else ""
    return old, new


def _check_seat_region(level: str, congress: Region) -> None:
    if CONGRESS_LEVEL[level] != congress.level:
        raise ValidationError(
            {
                "congress": _(
                    "%(level)s的所属人大应为%(region_level)s区划，而“%(name)s”是%(actual)s"
                )
                % {
                    "level": DeputyLevel(level).label,
                    "region_level": Level(CONGRESS_LEVEL[level]).label,
                    "name": congress.name,
                    "actual": Level(congress.level).label,
                }
            }
        )


def _check_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})


def _sync_home_region(deputy: Deputy, actor: User) -> None:
    """Set home_region to the congress of the lowest-level current seat (kept if none is current).

    The caller holds the deputy row lock.
    """
    today = timezone.localdate()
    current = [s for s in Seat.objects.filter(deputy=deputy) if is_current(s.ends_on, today)]
    if not current:
        return
    current.sort(key=lambda s: (LEVEL_ORDER.index(DeputyLevel(s.level)), -s.starts_on.toordinal()))
    target = current[0].congress_id
    if deputy.home_region_id != target:
        before = {"home_region": deputy.home_region_id}
        deputy.home_region_id = target
        deputy.save(update_fields=["home_region", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=deputy,
            region_code=target,
            before=before,
            after={"home_region": target},
            note="按最低一级现任职务同步所属区划",
        )


def deputy_create(
    *,
    actor: User,
    home_region: Region,
    name: str,
    gender: str,
    occupation: str = "",
    affiliation: str = "",
    bio: str = "",
    public_contact: str = "",
    mobile: str = "",
    id_number: str = "",
    home_address: str = "",
    is_active: bool = True,
) -> Deputy:
    """Register a deputy with a fresh public code (代表码)."""
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        for _attempt in range(CODE_ATTEMPTS):
            code = new_public_code("D")
            if not Deputy.objects.filter(code=code).exists():
                break
        else:  # pragma: no cover - 31^7 codes
            raise RuntimeError("could not allocate a deputy code")
        deputy = Deputy.objects.create(
            code=code,
            home_region=home_region,
            name=name,
            gender=gender,
            occupation=occupation,
            affiliation=affiliation,
            bio=bio,
            public_contact=public_contact,
            mobile=mobile,
            id_number=id_number,
            home_address=home_address,
            is_active=is_active,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=deputy,
            region_code=home_region.code,
            after=_deputy_snapshot(deputy),
        )
    return deputy


_UNSET: Any = object()


def deputy_update(
    *,
    deputy: Deputy,
    actor: User,
    name: str = _UNSET,
    gender: str = _UNSET,
    occupation: str = _UNSET,
    affiliation: str = _UNSET,
    bio: str = _UNSET,
    public_contact: str = _UNSET,
    is_active: bool = _UNSET,
    mobile: str = _UNSET,
    id_number: str = _UNSET,
    home_address: str = _UNSET,
) -> Deputy:
    """Change the given fields (omitted ones are kept); private values never reach the log."""
    changes = {
        key: value
        for key, value in {
            "name": name,
            "gender": gender,
            "occupation": occupation,
            "affiliation": affiliation,
            "bio": bio,
            "public_contact": public_contact,
            "is_active": is_active,
            "mobile": mobile,
            "id_number": id_number,
            "home_address": home_address,
        }.items()
        if value is not _UNSET
    }
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        before = _deputy_snapshot(deputy)
        changed_private: set[str] = {
            key for key in PRIVATE_FIELDS if key in changes and changes[key] != getattr(deputy, key)
        }
        for key, value in changes.items():
            setattr(deputy, key, value)
        deputy.save()
        old, new = _deputy_diff(before, _deputy_snapshot(deputy), changed_private)
        if new:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=deputy,
                region_code=deputy.home_region_id or "",
                before=old,
                after=new,
            )
    return deputy


def deputy_set_photo(*, deputy: Deputy, actor: User, photo: UploadedFile[bytes]) -> Deputy:
    """Replace the deputy's photo with a re-encoded copy (no EXIF) under a random name.

    ValidationError (nothing changed) if the upload is not an allowed image.
    """
    clean = clean_image(photo, max_bytes=settings.MAX_PHOTO_BYTES)
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        old_name = deputy.photo.name or ""
        deputy.photo.save(clean.random_name(), clean.as_file(), save=False)
        deputy.save(update_fields=["photo", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=deputy,
            region_code=deputy.home_region_id or "",
            before={"photo": old_name},
            after={"photo": deputy.photo.name},
        )
        if old_name and old_name != deputy.photo.name:
            storage = deputy.photo.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return deputy


def deputy_private_reveal(*, deputy: Deputy, actor: User) -> dict[str, str]:
    """Record that `actor` looked at the deputy's private fields and return their values."""
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        labels = [
            str(getattr(Deputy._meta.get_field(name), "verbose_name", name))
            for name in PRIVATE_FIELDS
        ]
        audit_private_view(actor=actor, obj=deputy, fields=labels)
    return {name: getattr(deputy, name) for name in PRIVATE_FIELDS}


def seat_add(
    *,
    deputy: Deputy,
    actor: User,
    level: str,
    congress: Region,
    term: int,
    starts_on: datetime.date,
    constituency: str = "",
    ends_on: datetime.date | None = None,
) -> Seat:
    """Add a seat in one congress and re-derive the deputy's home region."""
    _check_seat_region(level, congress)
    _check_dates(starts_on, ends_on)
    if not 1 <= term <= 99:
        raise ValidationError({"term": _("届次应在 1 到 99 之间")})
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        if Seat.objects.filter(deputy=deputy, level=level, congress=congress, term=term).exists():
            raise ValidationError(_("该代表已有相同级别、人大和届次的职务"))
        seat = Seat.objects.create(
            deputy=deputy,
            level=level,
            congress=congress,
            term=term,
            constituency=constituency,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=seat,
            object_label=f"{deputy} · {seat}",
            region_code=congress.code,
            after=snapshot(seat, SEAT_FIELDS),
        )
        _sync_home_region(deputy, actor)
    return seat


def seat_end(*, seat: Seat, actor: User, ends_on: datetime.date) -> Seat:
    """Close a seat on `ends_on` and re-derive the deputy's home region."""
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        deputy = Deputy.objects.select_for_update().get(pk=seat.deputy_id)
        seat = Seat.objects.select_for_update().select_related("congress").get(pk=seat.pk)
        if seat.ends_on is not None and seat.ends_on < timezone.localdate():
            raise ValidationError(_("该职务已结束"))
        _check_dates(seat.starts_on, ends_on)
        before = snapshot(seat, SEAT_FIELDS)
        seat.ends_on = ends_on
        seat.save(update_fields=["ends_on"])
        old, new = diff(before, snapshot(seat, SEAT_FIELDS))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=seat,
            object_label=f"{deputy} · {seat}",
            region_code=seat.congress_id,
            before=old,
            after=new,
        )
        _sync_home_region(deputy, actor)
    return seat


def deputy_assign_station(
    *,
    deputy: Deputy,
    station: Station,
    kind: str,
    rota: str,
    starts_on: datetime.date,
    actor: User,
    ends_on: datetime.date | None = None,
) -> StationDeputy:
    """Assign a deputy to a station (驻站 or 轮值); one open assignment per station."""
    _check_dates(starts_on, ends_on)
    if kind not in AssignmentKind.values:
        raise ValidationError({"kind": _("请选择驻站方式")})
    if station.status == StationStatus.CLOSED:
        raise ValidationError({"station": _("该联络站已撤销，不能安排代表")})
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        overlapping = StationDeputy.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on), deputy=deputy, station=station
        )
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            raise ValidationError({"station": _("该代表已在此联络站驻站，请勿重复安排")})
        try:
            with transaction.atomic():
                assignment = StationDeputy.objects.create(
                    deputy=deputy,
                    station=station,
                    kind=kind,
                    rota=rota,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
        except IntegrityError:
            raise ValidationError({"station": _("该代表已在此联络站驻站，请勿重复安排")}) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assignment,
            region_code=station.region_id,
            after=snapshot(assignment, ASSIGNMENT_FIELDS),
        )
    return assignment


def assignment_end(
    *, assignment: StationDeputy, actor: User, ends_on: datetime.date
) -> StationDeputy:
    """End a station assignment on `ends_on`."""
    with transaction.atomic():
        # Option lists (common/widgets.py) are cached per process.
        transaction.on_commit(clear_hot_caches)
        assignment = (
            StationDeputy.objects.select_for_update()
            .select_related("station", "deputy")
            .get(pk=assignment.pk)
        )
        if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
            raise ValidationError(_("该驻站安排已结束"))
        _check_dates(assignment.starts_on, ends_on)
        before = snapshot(assignment, ASSIGNMENT_FIELDS)
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
        old, new = diff(before, snapshot(assignment, ASSIGNMENT_FIELDS))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assignment,
            region_code=assignment.station.region_id,
            before=old,
            after=new,
        )
    return assignment
