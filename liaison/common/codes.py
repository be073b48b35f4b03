"""Public codes printed on QR codes: short, unambiguous when read aloud or typed."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: codes are read off posters and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_public_code(prefix: str, length: int = 7) -> str:
    """`prefix` and `length` random letters of ALPHABET (uniform: one draw below 31**length)."""
    number = secrets.randbelow(len(ALPHABET) ** length)
    letters = []
    for _position in range(length):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return prefix + "".join(letters)


def is_well_formed(code: str, prefix: str, length: int = 7) -> bool:
    return (
        len(code) == len(prefix) + length
        and code.startswith(prefix)
        and all(c in ALPHABET for c in code[len(prefix) :])
    )
