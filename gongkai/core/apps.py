from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from gongkai.core.validators import install_text_validator

        install_text_validator()
