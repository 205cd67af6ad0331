from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "gongkai.organisation"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        from gongkai.organisation import receivers

        receivers.connect()
