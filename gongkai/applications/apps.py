from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # Imported here, not at the top: both modules use models, which Django loads only after
        # every app's AppConfig (hook wiring belongs in ready()).
        from gongkai.applications.deadlines import record_deadline_moves
        from gongkai.workdays.services import on_calendar_change

        on_calendar_change(record_deadline_moves)
