"""The audit actions of the working-day calendar (see gongkai.audit.registry)."""

from gongkai.audit import registry

registry.register("calendar_changed", "调整工作日历")
