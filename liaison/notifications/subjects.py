"""What a message is about: a row of any app above notifications, named by model label and key.

Notifications sit below every app whose rows they speak of (opinions now; suggestions, projects
and activities later), so they cannot hold a foreign key up to them (decision 0015). A message
stores the model's label ("<app_label>.<model_name>") and the row's primary key instead.
Callers pass the row itself, or a `Subject` when they only have its key (a bulk job reading
`values()`), and read messages back with `.about(row)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from django.db import models

# Django's `_meta.label_lower`: "<app_label>.<model_name>", both identifiers in small letters.
_LABEL = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Subject:
    """A reference to one row of another app: its model label (`label_lower`) and primary key."""

    label: str
    id: int

    def __post_init__(self) -> None:
        # A label spelled otherwise than Django's would never match `.about(row)`.
        if not _LABEL.fullmatch(self.label):
            raise ValueError(f"not a model label_lower: {self.label!r}")
        if isinstance(self.id, bool) or not isinstance(self.id, int) or self.id <= 0:
            raise ValueError(f"not a primary key: {self.id!r}")

    @classmethod
    def of(cls, row: models.Model) -> Subject:
        """The subject naming a saved row."""
        if row.pk is None:
            raise ValueError(f"an unsaved {row._meta.label} cannot be a subject")
        if not isinstance(row.pk, int):
            # The key column is an integer; a text key (a region code) would need another one.
            raise TypeError(f"{row._meta.label} has no integer key to be a subject")
        return cls(row._meta.label_lower, row.pk)

    @classmethod
    def ref(cls, model: type[models.Model], pk: int) -> Subject:
        """The subject naming the row `pk` of `model`, without loading it."""
        return cls(model._meta.label_lower, pk)

    def __str__(self) -> str:
        return f"{self.label}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Subject | None:
        """Read back `str(subject)` (the e-mail header); None for anything else."""
        label, _, pk = text.strip().rpartition(":")
        if not _LABEL.fullmatch(label) or not pk.isascii() or not pk.isdigit():
            return None
        return cls(label, int(pk)) if int(pk) > 0 else None


# What the services accept: a row, a Subject built from a key, or nothing.
type SubjectLike = models.Model | Subject | None


class SubjectFields(TypedDict):
    """The two columns of a message that name its subject."""

    subject_type: str
    subject_id: int | None


def subject_of(thing: SubjectLike) -> Subject | None:
    """The Subject of a row (or the Subject itself); None for none."""
    if thing is None or isinstance(thing, Subject):
        return thing
    if not isinstance(thing, models.Model):
        # A bare key says nothing about its table: callers with a key pass Subject.ref(...).
        raise TypeError(f"a subject is a model instance or a Subject, not {thing!r}")
    return Subject.of(thing)


def subject_fields(thing: SubjectLike) -> SubjectFields:
    """The column values for a message about `thing`: blank type and null key for none."""
    subject = subject_of(thing)
    if subject is None:
        return {"subject_type": "", "subject_id": None}
    return {"subject_type": subject.label, "subject_id": subject.id}
