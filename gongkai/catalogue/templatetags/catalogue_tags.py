"""Chinese labels for the audit trail shown on staff pages."""

from django import template

from gongkai.catalogue.models import Validity
from gongkai.catalogue.workflow import ACTION_LABELS, STATUS_LABELS, Action, Status

register = template.Library()

EVENT_LABELS = {
    "item_create": "创建草稿",
    "item_update": "修改草稿",
    "item_set_validity": "变更有效性",
    "revision_create": "发起修订",
    "revision_update": "修改修订",
    "attachment_add": "上传附件",
    "attachment_remove": "删除附件",
}


@register.filter
def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    for prefix, suffix in (("item_", ""), ("revision_", "（修订）")):
        name = action.removeprefix(prefix)
        if action.startswith(prefix) and name in Action._value2member_map_:
            return ACTION_LABELS[Action(name)] + suffix
    return action


@register.filter
def state_label(state: str) -> str:
    if state in Status._value2member_map_:
        return STATUS_LABELS[Status(state)]
    if state in Validity.values:
        return Validity(state).label
    return state
