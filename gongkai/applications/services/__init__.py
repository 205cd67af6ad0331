"""Writes for requests for disclosure, one module per concern; each public function is one
transaction and audits itself, and refuses with `TransitionRefused` (its ``field`` names the form
field concerned) or PermissionDenied.

- intake: a request stored (online or registered by the office) with its receipt;
- handling: the reply draft and every change of state (`application_transition`, the only writer
  of ``Application.status``);
- clock_events: consultation, fees, force majeure (the clock's pauses);
- extensions: extension requests and their approval;
- delivery: letters printed in a batch, delivered, or a failed delivery with its reason;
- after_reply: appeals, the applicant's rating, proactive disclosure;
- letter_content: the corrected request (补正) and the reply's attachments, which letters cite;
- office: personal data views, letter templates, notifications.

The names below are the package's API: callers write ``services.<name>(...)``.
"""

from gongkai.applications.cases import case_actor, case_facts, extension_approver_roles, handles_case
from gongkai.applications.clockview import case_rules
from gongkai.applications.services.after_reply import (
    appeal_record,
    reply_to_catalogue,
    satisfaction_submit,
)
from gongkai.applications.services.clock_events import (
    consultation_answer,
    consultation_start,
    fee_notice,
    fee_paid,
    resume,
    suspend,
)
from gongkai.applications.services.delivery import notice_mark_delivered, notice_mark_failed, notices_print
from gongkai.applications.services.extensions import extension_decide, extension_request
from gongkai.applications.services.handling import application_transition, fee_lapse, reply_draft_save
from gongkai.applications.services.intake import application_submit
from gongkai.applications.services.letter_content import reply_attachment_remove, reply_attachments_add
from gongkai.applications.services.office import (
    ledger_exported,
    notice_template_save,
    notifications_mark_read,
    personal_data_viewed,
)

__all__ = [
    "appeal_record",
    "application_submit",
    "application_transition",
    "case_actor",
    "case_facts",
    "case_rules",
    "consultation_answer",
    "consultation_start",
    "extension_approver_roles",
    "extension_decide",
    "extension_request",
    "fee_lapse",
    "fee_notice",
    "fee_paid",
    "handles_case",
    "ledger_exported",
    "notice_mark_delivered",
    "notice_mark_failed",
    "notice_template_save",
    "notices_print",
    "notifications_mark_read",
    "personal_data_viewed",
    "reply_attachment_remove",
    "reply_attachments_add",
    "reply_draft_save",
    "reply_to_catalogue",
    "resume",
    "satisfaction_submit",
    "suspend",
]
