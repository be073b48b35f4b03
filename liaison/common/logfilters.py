"""Logging filters.

Django logs every 403, 404 and 429 with the exception's traceback; a refused permission or a missing
page is an expected answer, not a fault, and a screenful of traceback per refusal hides the real
errors. The status line stays; the traceback goes.
"""

from __future__ import annotations

import logging


class ExpectedClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in {403, 404, 405, 429}:
            record.exc_info = None
            record.exc_text = None
        return True
