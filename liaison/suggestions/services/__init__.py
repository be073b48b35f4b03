"""Every write of the suggestion loop (keyword-only, atomic, audited)."""

from liaison.suggestions.services.answer import (
    contact_record,
    suggestion_answer,
    suggestion_publication_set,
    suggestion_rate,
)
from liaison.suggestions.services.drafting import (
    cosign_answer,
    cosigner_invite,
    cosigner_remove,
    suggestion_create,
    suggestion_update,
    suggestion_withdraw,
)
from liaison.suggestions.services.errors import SuggestionConflict
from liaison.suggestions.services.review import (
    suggestion_accept,
    suggestion_assign,
    suggestion_complex_approve,
    suggestion_merge,
    suggestion_priority_set,
    suggestion_return,
)
from liaison.suggestions.services.sources import (
    source_add_activity,
    source_add_case,
    source_add_hot_topic,
    source_add_reception,
    source_remove,
)
from liaison.suggestions.services.submit import suggestion_submit
from liaison.suggestions.services.units import (
    co_view_send,
    return_request_create,
    return_request_refuse,
)

__all__ = [
    "SuggestionConflict",
    "co_view_send",
    "contact_record",
    "cosign_answer",
    "cosigner_invite",
    "cosigner_remove",
    "return_request_create",
    "return_request_refuse",
    "source_add_activity",
    "source_add_case",
    "source_add_hot_topic",
    "source_add_reception",
    "source_remove",
    "suggestion_accept",
    "suggestion_answer",
    "suggestion_assign",
    "suggestion_complex_approve",
    "suggestion_create",
    "suggestion_merge",
    "suggestion_priority_set",
    "suggestion_publication_set",
    "suggestion_rate",
    "suggestion_return",
    "suggestion_submit",
    "suggestion_update",
    "suggestion_withdraw",
]
