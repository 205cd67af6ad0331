"""Chinese labels for the audit trail shown on staff pages."""

from django import template

from gongkai.catalogue.models import Validity
from gongkai.catalogue.workflow import ACTION_LABELS, STATUS_LABELS, Action, Status

register = template.Library()

EVENT_LABELS = {
    "item_create": "创建草稿",
    "item_update": "修改草稿",
    "item_set_validity": "变更有效性",
    "yearly_figures_set": "填报年度统计数据",
    "revision_create": "发起修订",
    "revision_update": "修改修订",
    "attachment_add": "上传附件",
    "attachment_remove": "删除附件",
    "application_submit": "收到申请",
    "application_reply_draft": "保存答复稿",
    "application_extension_request": "申请延期",
    "application_extension_decide": "审批延期",
    "application_fee_lapse": "逾期未缴费，终止办理",
    "application_appeal": "记录复议或诉讼",
    "application_satisfaction": "申请人评价",
    "application_to_catalogue": "转为主动公开",
    "personal_data_view": "查看完整个人信息",
    "notice_delivered": "记录送达",
    "application_consultation_started": "征求第三方意见",
    "application_consultation_answered": "收到第三方意见",
    "application_fee_notice_sent": "发出收费通知",
    "application_fee_paid": "申请人缴费",
    "application_suspended": "中止办理",
    "application_resumed": "恢复办理",
    "application_deadline_moved": "工作日历调整，期限变化",
}


@register.filter
def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    if action.startswith("application_"):
        from gongkai.applications.workflow import ACTION_LABELS as CASE_LABELS
        from gongkai.applications.workflow import Action as CaseAction

        name = action.removeprefix("application_")
        if name in CaseAction._value2member_map_:
            return CASE_LABELS[CaseAction(name)]
    for prefix, suffix in (("item_", ""), ("revision_", "（修订）")):
        name = action.removeprefix(prefix)
        if action.startswith(prefix) and name in Action._value2member_map_:
            return ACTION_LABELS[Action(name)] + suffix
    return action


@register.filter
def state_label(state: str) -> str:
    if state in Status._value2member_map_:
        return STATUS_LABELS[Status(state)]
    from gongkai.applications.workflow import STATUS_LABELS as CASE_STATUS
    from gongkai.applications.workflow import Status as CaseStatus

    if state in CaseStatus._value2member_map_:
        return CASE_STATUS[CaseStatus(state)]
    if state in Validity.values:
        return Validity(state).label
    return state
