"""The kinds of export job, registered by the apps that own the data (in AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from liaison.jobs.models import ExportJob

# Called by a builder with a percentage as it goes.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Built:
    content: bytes
    # The download's name, e.g. "网格岗位台账_2026-12-03.xlsx".
    filename: str
    rows: int


@dataclass(frozen=True)
class JobKind:
    label: StrOrPromise
    # Builds the file as the job's requester (`job.created_by`) would see the data today.
    build: Callable[[ExportJob, Progress], Built]
    # Whether `user` may still fetch the file (the requester, while the scope is still theirs).
    downloadable: Callable[[ExportJob, Any], bool]
    # The page the export was started from (a URL name), for the job page's "back" link.
    back: str = ""


_kinds: dict[str, JobKind] = {}


def job_kind_register(kind: str, spec: JobKind) -> None:
    _kinds[kind] = spec


def job_kind(kind: str) -> JobKind:
    """The registered kind; KeyError for an unknown one (a job of an app no longer installed)."""
    return _kinds[kind]


def job_kinds() -> list[str]:
    """The registered kinds, sorted (the security tests try every one)."""
    return sorted(_kinds)
