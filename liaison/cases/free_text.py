"""Personal data typed into a case's free text: stored masked, kept encrypted, shown masked.

Intake (every channel) stores the title and content with phone, ID and bank card numbers masked
(`free_text_split`); the text as typed goes into the encrypted `Case.free_text_private`, which
staff who may see the person's contact details reveal through the audited reveal. Every page that
shows a case's text — the echo wall, the public tracking page and API, the staff case page — shows
`case_texts_masked`, so the same case reads the same everywhere. Replies are written by staff and
stored as written; they are masked when shown (docs/security.md, "personal data in free text").
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from liaison.cases.models import Case
from liaison.common.masking import mask_free_text, mask_numbers


@dataclass(frozen=True)
class CaseTexts:
    """A case's title, content and reply, in one form (masked, or as typed)."""

    title: str
    content: str
    reply: str


def free_text_split(*, title: str, content: str) -> tuple[str, str, str]:
    """The title and content to store in clear (numbers masked), and the value of
    `free_text_private`: the text as typed, or "" when there was nothing to mask (the usual case,
    which then costs no encryption on the intake path)."""
    masked_title, masked_content = mask_numbers(title), mask_numbers(content)
    if masked_title == title and masked_content == content:
        return title, content, ""
    original = json.dumps({"title": title, "content": content}, ensure_ascii=False)
    return masked_title, masked_content, original


def case_texts_original(case: Case) -> CaseTexts:
    """The text as the person typed it (for the audited reveal); the stored text when intake
    masked nothing or the original has been purged."""
    title, content = case.title, case.content
    if case.free_text_private:
        try:
            original = json.loads(case.free_text_private)
            title, content = str(original["title"]), str(original["content"])
        except (ValueError, KeyError, TypeError):
            pass  # unreadable (another key): the masked text is still the case's text
    return CaseTexts(title=title, content=content, reply=case.reply)


def case_texts_masked(case: Case) -> CaseTexts:
    """What every page shows: personal data masked, the submitter's own name and phone too."""
    own = {"names": [case.contact_name or ""], "phones": [case.contact_phone or ""]}
    return CaseTexts(
        title=mask_free_text(case.title, **own),
        content=mask_free_text(case.content, **own),
        reply=mask_free_text(case.reply, **own),
    )
