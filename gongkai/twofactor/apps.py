from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "gongkai.twofactor"
    label = "twofactor"
    verbose_name = "第二因素"
