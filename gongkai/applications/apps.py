from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.applications.deadlines import record_deadline_moves
        from gongkai.workdays.services import on_calendar_change

        on_calendar_change(record_deadline_moves)
