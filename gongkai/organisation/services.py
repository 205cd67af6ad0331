"""Staff accounts: sign-in, sign-out, failures, lock-out, unlock, password and role changes.

Every one of them is an audit event (gongkai.audit) with the client's address in
``data["address"]`` ("" when unknown) and never a password. Source: GB/T 22239-2019 8.1.4.3
(安全审计: 事件的日期和时间、用户、事件类型、事件是否成功) and OWASP ASVS 4.0 V7.1, V7.2.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.roles import ROLE_LABELS, Role
from gongkai.organisation import lockout
from gongkai.organisation.models import User

# Audit actions written here.
SIGNIN = "signin"
SIGNIN_FAILED = "signin_failed"
SIGNIN_LOCKOUT = "signin_lockout"
SIGNIN_UNLOCK = "signin_unlock"
SIGNOUT = "signout"
PASSWORD_CHANGE = "password_change"  # noqa: S105 (an audit action, not a password)
ROLES_CHANGE = "roles_change"

USERNAME_SHOWN_CHARS = 150  # the longest username the form accepts
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def _shown(username: str | None) -> str:
    """A typed username fit for the trail: no control or format characters, bounded."""
    text = "".join(ch for ch in (username or "") if unicodedata.category(ch)[0] != "C")
    return text[:USERNAME_SHOWN_CHARS]


def _account(username: str | None) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).select_related("agency").first()


def signin_record(*, user: User, address: str, site: str) -> None:
    """A successful password sign-in (``site``: "staff" or "admin")."""
    audit_record(
        actor=user,
        action=SIGNIN,
        target=user,
        agency=user.agency,
        data={"address": address, "site": site},
    )


def signout_record(*, user: User, address: str) -> None:
    audit_record(actor=user, action=SIGNOUT, target=user, agency=user.agency, data={"address": address})


def signin_failed_record(
    *,
    username: str | None,
    address: str,
    site: str,
    failures: lockout.SigninFailures | None,
    locked: bool,
) -> None:
    """A refused sign-in, and the lock-out it started if it reached a limit.

    ``username`` is what was typed; an unknown one is recorded by name (target id "") and no
    account is created. ``failures`` are the counts after this attempt (None when the lock-out is
    switched off); ``locked`` says the account or address is locked now. The lock-out event is
    written once, by the attempt that reached the limit, with its scope ("account", "address").
    """
    user = _account(username)
    shown = _shown(username)
    target: Any = user if user is not None else User
    agency = user.agency if user is not None else None
    data: dict[str, Any] = {"address": address, "site": site, "username": shown, "locked": locked}
    if user is None:
        data["unknown_account"] = True
    if failures is not None:
        data["failures"] = {"account": failures.account, "address": failures.address}
    audit_record(
        actor=None,
        action=SIGNIN_FAILED,
        target=target,
        agency=agency,
        target_label=shown,
        data=data,
    )
    if failures is None:
        return
    scopes = []
    if failures.account == settings.SIGNIN_FAILURE_LIMIT:
        scopes.append("account")
    if failures.address == settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
        scopes.append("address")
    if scopes:
        audit_record(
            actor=None,
            action=SIGNIN_LOCKOUT,
            target=target,
            agency=agency,
            target_label=shown,
            data={**data, "scope": scopes},
        )


def signin_unlock(
    *, actor: User, address: str, username: str | None = None, locked_address: str | None = None
) -> int:
    """Lift a sign-in lock on an account (``username``) or on a client address (``locked_address``).

    Deletes the counted failures and writes a ``signin_unlock`` event by ``actor`` (``address``
    is the actor's own address). Returns the number of failure rows cleared (0: nothing was
    locked, still audited). Raises ValueError unless exactly one of the two is given.
    """
    with transaction.atomic():
        cleared = lockout.clear_failures(username=username, address=locked_address)
        user = _account(username)
        data = {"address": address, "cleared": cleared}
        if username is not None:
            data["username"] = _shown(username)
        else:
            data["locked_address"] = locked_address
        audit_record(
            actor=actor,
            action=SIGNIN_UNLOCK,
            target=user if user is not None else User,
            agency=user.agency if user is not None else actor.agency,
            target_label=_shown(username) if username is not None else f"地址 {locked_address}",
            data=data,
        )
    return cleared


def password_change(*, actor: User, user: User, new_password: str, address: str) -> None:
    """Set ``user``'s password, checked by AUTH_PASSWORD_VALIDATORS, and audit it.

    ``actor`` is the user themselves or an administrator. Raises
    django.core.exceptions.ValidationError (Chinese messages) for a weak password. Other
    sessions of the user end (the session hash changes); the caller keeps the actor's own
    session with ``update_session_auth_hash`` when actor is user.
    """
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        password_change_record(actor=actor, user=user, address=address)


def password_change_record(*, actor: User, user: User, address: str) -> None:
    """Audit a password already set by Django's own form (the admin site's password page)."""
    audit_record(
        actor=actor,
        action=PASSWORD_CHANGE,
        target=user,
        agency=user.agency,
        data={"address": address, "by_self": actor.pk == user.pk},
    )


def account_snapshot(user: User) -> dict[str, Any]:
    """What ``roles_change_record`` compares: the roles and the account flags of ``user``."""
    if user.pk is None:
        return {"roles": [], **dict.fromkeys(ACCOUNT_FLAGS, False)}
    roles = sorted(user.roles.values_list("role", flat=True))
    return {"roles": roles, **{flag: getattr(user, flag) for flag in ACCOUNT_FLAGS}}


def roles_change_record(
    *, actor: User, user: User, before: dict[str, Any], after: dict[str, Any], address: str
) -> bool:
    """Audit a change of ``user``'s roles or account flags (``account_snapshot`` before and
    after); nothing if nothing changed. Returns whether an event was written."""
    added = sorted(set(after["roles"]) - set(before["roles"]))
    removed = sorted(set(before["roles"]) - set(after["roles"]))
    flags = {f: [before[f], after[f]] for f in ACCOUNT_FLAGS if before[f] != after[f]}
    if not (added or removed or flags):
        return False

    def labels(codes: list[str]) -> list[str]:
        return [ROLE_LABELS[Role(c)] if c in Role._value2member_map_ else c for c in codes]

    audit_record(
        actor=actor,
        action=ROLES_CHANGE,
        target=user,
        agency=user.agency,
        comment="；".join(
            part
            for part in (
                "增加：" + "、".join(labels(added)) if added else "",
                "撤销：" + "、".join(labels(removed)) if removed else "",
            )
            if part
        ),
        data={
            "address": address,
            "added": added,
            "removed": removed,
            "flags": flags,
            "roles_after": after["roles"],
        },
    )
    return True
