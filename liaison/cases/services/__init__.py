"""Every write to a case goes through these functions (re-exported from the modules below).

Contract shared by all faces (H5 pages, workbench, API, import, scheduled job):
- keyword-only arguments, the acting user explicit (`actor`, None for the constituent/system with
  `actor_role` "constituent" / "system");
- one transaction each, through the workflow kernel (`flow.case_begin` → `liaison.workflow.flow`):
  lock the case row (select_for_update), check `version` when given (`expected_version`) and
  raise CaseConflict on a mismatch, check the action table on the locked row
  (actions.ensure_action; the case page offers exactly what it allows), save milestones, append
  a CaseEvent through the one event builder, write an audit row for staff actions, and send
  notifications with transaction.on_commit;
- bad input raises django ValidationError with Chinese messages and changes nothing.
"""

# --- the loop (moves, extensions, supervision) -------------------------------------------------
from liaison.cases.services.actions import (  # noqa: F401
    case_co_opinion,
    case_relay,
    case_reveal_contact,
    case_set_category,
)
from liaison.cases.services.errors import CaseConflict  # noqa: F401
from liaison.cases.services.extensions import (  # noqa: F401
    extension_decide,
    extension_request,
)
from liaison.cases.services.intake import (  # noqa: F401
    SubmitResult,
    case_pin_matches,
    case_submit,
)
from liaison.cases.services.merging import (  # noqa: F401
    Unmerged,
    case_merge,
    case_unmerge,
)
from liaison.cases.services.moves import (  # noqa: F401
    case_accept,
    case_answer_on_spot,
    case_assign,
    case_decline,
    case_forward,
    case_reply,
)
from liaison.cases.services.outcome import (  # noqa: F401
    case_close,
    case_evaluate,
    case_withdraw,
)
from liaison.cases.services.supervision import (  # noqa: F401
    EscalationResult,
    escalate_due_cases,
    supervision_open,
)
