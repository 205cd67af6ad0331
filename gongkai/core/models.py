"""No models: the core app keeps none.

The module exists so that Django sends ``post_migrate`` for this app (``emit_post_migrate_signal``
skips apps without a models module): ``CoreConfig.ready`` hangs the creation of the database
cache's table on that signal, so ``manage.py migrate`` makes the table (gongkai.core.cache).
"""
