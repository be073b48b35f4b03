"""The JSON parser of every DRF endpoint: the platform's one JSON reader (liaison/common/text.py).

DRF's own parser lets a deeply nested body raise RecursionError (a 500) and answers malformed
bodies in English; this one answers every body it cannot take with a 400 and a Chinese message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from liaison.common.text import JSONBodyError, json_parse


class StrictJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = stream.read() if stream is not None else b""
        try:
            # Strict: DRF bodies are not checked field by field by our code, so a lone
            # surrogate anywhere is refused here.
            return json_parse(body or b"null", strict=True)
        except JSONBodyError as exc:
            raise ParseError(str(exc)) from exc
