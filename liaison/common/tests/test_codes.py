"""`new_public_code`: codes printed on posters and sent by SMS (one random draw per code)."""

from __future__ import annotations

import pytest

from liaison.common import codes
from liaison.common.codes import ALPHABET, is_well_formed, new_public_code


@pytest.mark.parametrize(("prefix", "length"), [("S", 7), ("A", 9), ("C", 9), ("", 4)])
def test_codes_have_the_prefix_the_length_and_only_unambiguous_letters(
    prefix: str, length: int
) -> None:
    for _n in range(200):
        code = new_public_code(prefix, length)
        assert len(code) == len(prefix) + length
        assert code.startswith(prefix)
        assert set(code[len(prefix) :]) <= set(ALPHABET)
        assert is_well_formed(code, prefix, length)


def test_default_length_is_seven() -> None:
    assert len(new_public_code("S")) == 8


def test_codes_are_not_constant_at_any_position() -> None:
    drawn = [new_public_code("A", 9) for _n in range(300)]
    assert len(set(drawn)) == len(drawn)
    for position in range(1, 10):
        assert len({code[position] for code in drawn}) > 5, position


def test_one_draw_covers_every_code(monkeypatch: pytest.MonkeyPatch) -> None:
    bounds: list[int] = []

    def draw(bound: int) -> int:
        bounds.append(bound)
        return picked

    monkeypatch.setattr(codes.secrets, "randbelow", draw)
    picked = 0
    assert new_public_code("A", 9) == "A" + ALPHABET[0] * 9
    picked = len(ALPHABET) ** 9 - 1
    assert new_public_code("A", 9) == "A" + ALPHABET[-1] * 9
    assert bounds == [len(ALPHABET) ** 9] * 2
    # Distinct numbers are distinct codes (the letters are the number's base-31 digits).
    picked = 1
    first = new_public_code("A", 9)
    picked = len(ALPHABET)
    assert first != new_public_code("A", 9)
    assert first != "A" + ALPHABET[0] * 9
