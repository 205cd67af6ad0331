"""The audit app's own actions (see gongkai.audit.registry)."""

from gongkai.audit import registry

registry.register("audit_log_export", "导出审计日志")
