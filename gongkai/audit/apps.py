from django.apps import AppConfig

from gongkai.audit import registry


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = "留痕"

    def ready(self) -> None:
        # Every app's audit_actions.py: the labels of the actions it writes.
        registry.autodiscover()
