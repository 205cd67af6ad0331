"""The audit actions the catalogue writes, with their labels (see gongkai.audit.registry)."""

from gongkai.audit import registry
from gongkai.catalogue.models import Item, Validity
from gongkai.catalogue.workflow import ACTION_LABELS, ITEM_TRANSITIONS, REVISION_TRANSITIONS, STATUS_LABELS

registry.register_many(
    {
        "item_create": "创建草稿",
        "item_update": "修改草稿",
        "item_set_validity": "变更有效性",
        "item_publish_reviewed": "年度报告签发后发布",
        "item_replace_reviewed": "年度报告更正后替换正文",
        "revision_create": "发起修订",
        "revision_update": "修改修订",
        "attachment_add": "上传附件",
        "attachment_remove": "删除附件",
    }
)
# item_transition() writes item_<action>, revision_transition() revision_<action>.
registry.register_many({f"item_{t.action}": ACTION_LABELS[t.action] for t in ITEM_TRANSITIONS})
registry.register_many(
    {f"revision_{t.action}": f"{ACTION_LABELS[t.action]}（修订）" for t in REVISION_TRANSITIONS}
)

# An item's events record its review states and (item_set_validity) its validity.
registry.register_states(
    Item._meta.label_lower,
    {**{str(s): label for s, label in STATUS_LABELS.items()}, **{v.value: v.label for v in Validity}},
)
