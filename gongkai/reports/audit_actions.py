"""The audit actions of annual reports (see gongkai.audit.registry)."""

from gongkai.audit import registry
from gongkai.reports.models import AnnualReport
from gongkai.reports.workflow import ACTION_LABELS, REPORT_TRANSITIONS, STATUS_LABELS

registry.register_many(
    {
        "report_create": "创建年度报告",
        "report_save_text": "保存年度报告文字",
        "yearly_figures_set": "填报年度统计数据",
        "opening_balance_set": "录入期初结转数据",
    }
)
# report_transition() writes report_<action>.
registry.register_many({f"report_{t.action}": ACTION_LABELS[t.action] for t in REPORT_TRANSITIONS})
registry.register_states(AnnualReport._meta.label_lower, STATUS_LABELS)
