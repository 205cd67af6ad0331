"""The audit actions of the second factor (see gongkai.audit.registry)."""

from gongkai.audit import registry

registry.register_many(
    {
        "second_factor_enrolled": "绑定身份验证器（第二因素）",
        "second_factor_passed": "第二因素验证通过",
        "second_factor_failed": "第二因素验证失败",
        "second_factor_disabled": "停用第二因素",
        "second_factor_reset": "重置第二因素",
    }
)
