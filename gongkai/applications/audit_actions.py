"""The audit actions of requests for disclosure (see gongkai.audit.registry)."""

from gongkai.applications.cases import TO_CATALOGUE_AUDIT_ACTION
from gongkai.applications.deadlines import MOVED_ACTION
from gongkai.applications.models import Application
from gongkai.applications.services.delivery import DELIVERED_ACTION, FAILED_ACTION
from gongkai.applications.services.office import LEDGER_EXPORT_ACTION
from gongkai.applications.workflow import ACTION_LABELS, STATUS_ACTIONS, STATUS_LABELS
from gongkai.audit import registry
from gongkai.workdays.clock import EventKind

# application_transition() writes application_<action> for the actions that move the case.
STATUS_ACTION_LABELS = {f"application_{action}": ACTION_LABELS[action] for action in STATUS_ACTIONS}

registry.register_many(
    {
        **STATUS_ACTION_LABELS,
        "application_fee_lapse": "逾期未缴费，终止办理",
        "application_submit": "收到申请",
        "application_reply_draft": "保存答复稿",
        "application_extension_request": "申请延期",
        "application_extension_decide": "审批延期",
        "application_appeal": "记录复议或诉讼",
        "application_satisfaction": "申请人评价",
        TO_CATALOGUE_AUDIT_ACTION: "转为主动公开",
        MOVED_ACTION: "工作日历调整，期限变化",
        "personal_data_view": "查看完整个人信息",
        LEDGER_EXPORT_ACTION: "导出依申请公开台账",
        DELIVERED_ACTION: "记录送达",
        FAILED_ACTION: "记录送达失败",
        "notice_template_save": "修改通知书模板",
        "reply_attachment_add": "添加答复附件",
        "reply_attachment_remove": "删除答复附件",
        # The clock's side events (services.clock_events): application_<event kind>.
        f"application_{EventKind.CONSULTATION_STARTED}": "征求第三方意见",
        f"application_{EventKind.CONSULTATION_ANSWERED}": "收到第三方意见",
        f"application_{EventKind.FEE_NOTICE_SENT}": "发出收费通知",
        f"application_{EventKind.FEE_PAID}": "申请人缴费",
        f"application_{EventKind.SUSPENDED}": "中止办理",
        f"application_{EventKind.RESUMED}": "恢复办理",
    }
)
registry.register_states(Application._meta.label_lower, STATUS_LABELS)
