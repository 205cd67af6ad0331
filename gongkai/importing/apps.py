from django.apps import AppConfig


class ImportingConfig(AppConfig):
    name = "gongkai.importing"
    verbose_name = "文档导入"
