"""The default cache when no Redis is configured: Django's database cache with an atomic ``incr``.

Django's ``DatabaseCache.incr`` is a read followed by a write (``BaseCache.incr``): two workers can
read the same value and both write value + 1, and the write resets the key's expiry to the default
timeout. Counters that must hold across worker processes (``gongkai.core.ratelimit``) need better:
here ``incr`` locks the row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transaction,
opened with ``BEGIN IMMEDIATE`` by the settings' ``transaction_mode``, serialises writers) and
changes only the value, keeping its expiry. ``add`` is already atomic (a unique key; the loser of
a race gets False).

The table is created by ``manage.py createcachetable`` (``make migrate`` runs it; so does Django's
test database set-up).
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta: int = 1, version=None) -> int:
        """Add ``delta`` to the number stored at ``key``, atomically; ValueError if absent or expired."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self.cache_model_class._meta.db_table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "  # noqa: S608
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode()))  # noqa: S301 - our own table
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608
                f"WHERE {quote_name('cache_key')} = %s",
                [encoded, key],
            )
        return new_value

    def decr(self, key, delta: int = 1, version=None) -> int:
        return self.incr(key, -delta, version=version)

    @staticmethod
    def _expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            expires = converter(expires, expression, connection)
        return expires < tz_now().replace(microsecond=0)
