from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate

from gongkai.core.validators import install_text_validator


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    # The database cache (the default without REDIS_URL) needs its table: `migrate` makes it.
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "基础"

    def ready(self) -> None:
        install_text_validator()
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="gongkai_createcachetable")
