"""Every action a person can take on a case, as one pure table: who, from which statuses, under
which conditions. No database access. The types (Rule, Condition, ActionTable) are the workflow
kernel's (liaison/workflow/table.py); the rows are the case loop's.

The case page offers an action exactly when `available(...)` names it, and every service that
performs one starts with `ensure_action(...)` on the locked row, so the page and the services
read the same rule and cannot disagree. The rows that move the status are derived from the
transition table (`workflow.TRANSITIONS`), which stays the source for moves; the rows that leave
the status alone (relay, supervise, extension …) are written out here.

Actors are the roles a user holds on the case (`permissions.case_actors`), the workflow's
constituent and system, and CO_UNIT: staff of a co-handling unit, who hold no role on the case but
may send their view. Conditions read `CaseFacts`, plain values the caller takes from the row, so
the table can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Role
from liaison.cases.models import OPEN_STATUSES, Case, Status
from liaison.cases.workflow import TRANSITIONS
from liaison.workflow.table import (
    ActionRefused,
    ActionTable,
    Condition,
    Rule,
    TransitionNotAllowed,
    moves,
    staying,
)

__all__ = [
    "CO_UNIT",
    "RULES",
    "TABLE",
    "ActionRefused",
    "CaseFacts",
    "Condition",
    "Rule",
    "TransitionNotAllowed",
    "available",
    "ensure_action",
    "facts_of",
    "may",
    "rule",
    "statuses_for",
]

# Staff of a co-handling unit (CoHandling): not a role on the case, an actor for one action.
CO_UNIT: Final = "co_unit"

# Who triages, relays, supervises and resets PINs within their scope.
TRIAGE: Final = roles_with(Capability.WORK_CASES)
# Who answers an assigned case and so may ask for more time.
HANDLERS: Final = roles_with(Capability.HANDLE_CASES)
# The statuses with a running deadline (accept_due or reply_due) that a supervision can press.
SUPERVISABLE: Final = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.FORWARDED, Status.ASSIGNED}
)


@dataclass(frozen=True)
class CaseFacts:
    """What the rules read about a case, as plain values (see `facts_of`).

    `pending_extension` and `extension_left` (working days may still be asked for in this round
    of handling) cost a query outside the case page, so they are None when the caller did not
    look; a rule that needs one then fails loudly instead of guessing.
    """

    status: str
    relayed: bool = False
    has_pin: bool = True
    pending_extension: bool | None = None
    extension_left: bool | None = None


def facts_of(
    case: Case, *, pending_extension: bool | None, extension_left: bool | None = None
) -> CaseFacts:
    """The facts of a case row (only its own fields are read)."""
    return CaseFacts(
        status=case.status,
        relayed=case.relayed_at is not None,
        has_pin=bool(case.pin_digest),
        pending_extension=pending_extension,
        extension_left=extension_left,
    )


FACT_NAMES: Final = frozenset(f.name for f in fields(CaseFacts)) - {"status"}


def _moves(
    *targets: str, only_from: Collection[str] = (), never_from: Collection[str] = ()
) -> Rule:
    """A status-changing row: the transition table's (from → one of `targets`) entries."""
    return moves(TRANSITIONS, *targets, only_from=only_from, never_from=never_from)


_staying = staying

_NOT_RELAYED = Condition("relayed", False, _("已记录告知群众，无需重复记录"))
_HAS_PIN = Condition("has_pin", True, _("该件没有查询密码，无法重置"))
_NO_PENDING = Condition("pending_extension", False, _("已有待审批的延期申请，请等待审批结果"))
_PENDING = Condition("pending_extension", True, _("该件没有待审批的延期申请"))
_DAYS_LEFT = Condition("extension_left", True, _("本次办理已无可延长的期限"))

RULES: Final[Mapping[str, Rule]] = {
    # Moves, from the transition table. 已合并 → back is 撤销合并, never "accept".
    "accept": _moves(Status.ACCEPTED, never_from={Status.MERGED}),
    "decline": _moves(Status.DECLINED),
    "answer": _moves(Status.REPLIED, only_from={Status.ACCEPTED}),  # 当场答复
    "assign": _moves(Status.ASSIGNED),  # also reassign, and reopen an evaluated case
    "forward": _moves(Status.FORWARDED),
    "reply": _moves(Status.REPLIED, only_from={Status.ASSIGNED}),
    "rate": _moves(Status.EVALUATED),
    "close": _moves(Status.CLOSED),
    "merge": _moves(Status.MERGED),
    # The service reads the status to go back to from the merge event.
    "unmerge": _moves(*Status.values, only_from={Status.MERGED}),
    "withdraw": _moves(Status.WITHDRAWN),
    # Actions that leave the status alone.
    # 告知群众: once, after a reply that was not given in person (当场答复 sets relayed_at).
    "relay": _staying({Status.REPLIED}, TRIAGE, _NOT_RELAYED),
    "category": _staying(OPEN_STATUSES, TRIAGE),
    "supervise": _staying(SUPERVISABLE, TRIAGE),
    "pin_reset": _staying(Status.values, TRIAGE, _HAS_PIN),
    # Not offered once this round's working days are used up (the setting's maximum).
    "extension_request": _staying({Status.ASSIGNED}, HANDLERS, _NO_PENDING, _DAYS_LEFT),
    # A request left pending when the case moved on can still be refused (approving needs the
    # case to be assigned: the service and the form say so).
    "extension_decide": _staying(Status.values, frozenset({Role.CONGRESS_STAFF}), _PENDING),
    "co_opinion": _staying({Status.ASSIGNED}, frozenset({CO_UNIT})),
}


TABLE: Final = ActionTable(RULES)


def rule(action: str) -> Rule:
    """The row of `action` (KeyError for a name that is not an action: a programming error)."""
    return TABLE.rule(action)


def may(action: str, actors: Collection[str], facts: CaseFacts) -> bool:
    """Whether any of `actors` may take `action` on a case with `facts`."""
    return TABLE.may(action, actors, facts)


def available(actors: Collection[str], facts: CaseFacts) -> set[str]:
    """The names of the actions any of `actors` may take now (what the case page offers)."""
    return TABLE.available(actors, facts)


def statuses_for(actor: str) -> frozenset[str]:
    """The statuses in which `actor` has some action (callers skip costly lookups elsewhere)."""
    return TABLE.statuses_for(actor)


def ensure_action(action: str, actors: Iterable[str], facts: CaseFacts) -> str:
    """The first of `actors` (in the caller's order) allowed to take `action`, or a refusal
    (TransitionNotAllowed, PermissionDenied, ActionRefused; `ActionTable.ensure_action`)."""
    return TABLE.ensure_action(action, actors, facts)
