from liaison.suggestions.models.choices import (
    OPEN_STATUSES,
    RATINGS_CHOSEN,
    WATCHED_STATUSES,
    Contact,
    DueState,
    EventKind,
    Grade,
    Kind,
    Rating,
    Status,
)
from liaison.suggestions.models.parts import (
    SOURCE_FIELDS,
    Cosigner,
    ReturnRequest,
    SourceKind,
    SuggestionEvent,
    SuggestionSource,
    SuggestionUnit,
)
from liaison.suggestions.models.session import CongressSession
from liaison.suggestions.models.suggestion import Suggestion

__all__ = [
    "OPEN_STATUSES",
    "RATINGS_CHOSEN",
    "SOURCE_FIELDS",
    "WATCHED_STATUSES",
    "CongressSession",
    "Contact",
    "Cosigner",
    "DueState",
    "EventKind",
    "Grade",
    "Kind",
    "Rating",
    "ReturnRequest",
    "SourceKind",
    "Status",
    "Suggestion",
    "SuggestionEvent",
    "SuggestionSource",
    "SuggestionUnit",
]
