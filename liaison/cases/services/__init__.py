"""Every write to a case goes through these functions (re-exported from the modules below).

Contract shared by all faces (H5 pages, workbench, API, import, scheduled job):
- keyword-only arguments, the acting user explicit (`actor`, None for the constituent/system with
  `actor_role` "constituent" / "system");
- one transaction each: lock the case row (select_for_update), check `version` when given
  (`expected_version`) and raise CaseConflict on a mismatch, check the transition table
  (workflow.ensure_transition), save milestones, append a CaseEvent, write an audit row for staff
  actions, and send notifications with transaction.on_commit;
- bad input raises django ValidationError with Chinese messages and changes nothing.
"""

from liaison.cases.services.errors import CaseConflict  # noqa: F401
