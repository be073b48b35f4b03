"""Fixtures of the engine's tests; like the engine they need neither Django nor the database."""

from __future__ import annotations

import csv

import pytest

from liaison.nlp.tests.shared import shared_file


@pytest.fixture(scope="session")
def labeled_rows() -> list[dict[str, str]]:
    """The real labeled messages, read from ../shared/data (never copied into the project)."""
    path = shared_file("teddy2020", "messages_labeled.csv")
    if not path.is_file():
        pytest.skip(f"real data not available at {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
