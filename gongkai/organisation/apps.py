from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "gongkai.organisation"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        # Imported here, not at the top: receivers use the services and models, which Django
        # loads only after every app's AppConfig (signal wiring belongs in ready()).
        from gongkai.organisation import receivers

        receivers.connect()
