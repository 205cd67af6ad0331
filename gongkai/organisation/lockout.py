"""Sign-in lock-out: failures counted per account and per address (django-axes).

django-axes records every failed sign-in as a row (username, address, user agent) with a failure
count, in the database so every worker sees the same counts. This handler reads two sums over the
rows younger than the lock-out period (``SIGNIN_LOCKOUT_MINUTES``):

- per account: the failures for one username, from any address (``SIGNIN_FAILURE_LIMIT``);
- per address: the failures from one client address, for any username
  (``SIGNIN_ADDRESS_FAILURE_LIMIT``, higher: an office behind one NAT address shares it).

Reaching either limit refuses every sign-in for that account or from that address, with the right
password too; each refused attempt counts again, so a guesser keeps the lock on. Unknown
usernames are counted exactly like real ones, so the lock-out says nothing about which accounts
exist. Source: OWASP ASVS 4.0 V2.2.1; GB/T 22239-2019 8.1.4.1 b) (登录失败处理).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from gongkai.core.client import client_address


def signin_address(request: HttpRequest) -> str | None:
    """The address sign-in failures are counted under and audited with; None if unknown.

    ``gongkai.core.client.client_address`` (right-most trusted X-Forwarded-For entries, never what
    the client wrote). None rather than "" so that django-axes stores NULL and still counts it.
    """
    return client_address(request) or None


def failure_limit(request=None, credentials=None) -> int:
    """``AXES_FAILURE_LIMIT``: failures of one account before it is locked (SIGNIN_FAILURE_LIMIT)."""
    return settings.SIGNIN_FAILURE_LIMIT


def lockout_period(request=None) -> timedelta | None:
    """``AXES_COOLOFF_TIME``: how long a lock lasts after the last failure; None: until unlocked."""
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    return timedelta(minutes=minutes) if minutes > 0 else None


@dataclass(frozen=True)
class SigninFailures:
    """Failures counted for one sign-in attempt (the request's account and address)."""

    account: int
    address: int

    @property
    def account_locked(self) -> bool:
        return self.account >= settings.SIGNIN_FAILURE_LIMIT

    @property
    def address_locked(self) -> bool:
        return self.address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT

    @property
    def locked(self) -> bool:
        return self.account_locked or self.address_locked


def _live_attempts() -> QuerySet[AccessAttempt]:
    """The failure rows still counted: younger than the lock-out period (all, if it is 0)."""
    cool_off = lockout_period()
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def _sum(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def signin_failures(username: str | None, address: str | None) -> SigninFailures:
    """The failures counted now against ``username`` and against ``address``."""
    attempts = _live_attempts()
    return SigninFailures(
        account=_sum(attempts.filter(username=username)),
        address=_sum(attempts.filter(ip_address=address)),
    )


class SigninAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler with one limit per account and a higher one per address.

    ``settings.AXES_HANDLER`` names it; django-axes compares ``get_failures`` with
    ``failure_limit()`` (``AXES_FAILURE_LIMIT``).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = signin_failures(get_client_username(request, credentials), request.axes_ip_address)
        # Read by gongkai.organisation.receivers to tell the attempt that locked from later ones.
        request.signin_failures = failures
        if failures.address_locked:
            return max(failures.account, failure_limit())
        return failures.account

    def clean_expired_user_attempts(self, request=None, credentials: dict | None = None) -> int:
        """Delete the failure rows older than the lock-out period (none if locks last until
        unlocked); the number deleted. Reads ``lockout_period()``, not ``AXES_COOLOFF_TIME``."""
        cool_off = lockout_period()
        if cool_off is None:
            return 0
        count, _ = AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - cool_off).delete()
        return count

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in: forget only this account's failures from this address.

        Not the address's failures for other accounts, nor the account's failures from elsewhere:
        signing in to one's own account must not wipe a guesser's count.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count


# -- Reads for the unlock page ------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """A current lock: an account (``username``) or an address (``address``), until when."""

    username: str | None
    address: str | None
    failures: int
    last_failure: datetime
    until: datetime | None  # None: until unlocked


def lock_until(last_failure: datetime) -> datetime | None:
    """When a lock whose last failure was at ``last_failure`` lifts by itself; None: never."""
    cool_off = lockout_period()
    return None if cool_off is None else last_failure + cool_off


def current_locks() -> tuple[list[Lock], list[Lock]]:
    """(locked accounts, locked addresses), most recent first.

    Accounts are usernames as typed: unknown ones are listed too (the caller filters by agency).
    """
    attempts = _live_attempts()
    accounts = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.SIGNIN_FAILURE_LIMIT)
        .order_by("-last")
    )
    addresses = (
        attempts.exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.SIGNIN_ADDRESS_FAILURE_LIMIT)
        .order_by("-last")
    )
    return (
        [
            Lock(row["username"], None, row["failures"], row["last"], lock_until(row["last"]))
            for row in accounts
        ],
        [
            Lock(None, row["ip_address"], row["failures"], row["last"], lock_until(row["last"]))
            for row in addresses
        ],
    )


def clear_failures(*, username: str | None = None, address: str | None = None) -> int:
    """Delete the counted failures of an account or an address; the number of rows deleted.

    Writes nothing else: call it through ``gongkai.organisation.services.signin_unlock``.
    """
    if (username is None) == (address is None):
        raise ValueError("clear_failures takes exactly one of username and address")
    rows = (
        AccessAttempt.objects.filter(username=username)
        if username is not None
        else (AccessAttempt.objects.filter(ip_address=address))
    )
    count, _ = rows.delete()
    return count
