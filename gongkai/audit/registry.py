"""Audit action codes and their Chinese labels, declared by the app that writes them.

An app that calls ``audit_record(action=...)`` declares every action it writes, with the label
staff read, in its own ``audit_actions.py``: ``registry.register("item_create", "创建草稿")``.

`autodiscover` (run by ``AuditConfig.ready()``) imports each installed app's ``audit_actions``
module, so the audit pages and the history lists label every event without the audit app
importing the apps above it. The states an event records (``AuditEvent.from_state`` and
``to_state``) are labelled the same way, per target model, with `register_states`.

A test (``audit/tests/test_action_registry.py``) checks that every action the code passes to
``audit_record`` is registered.
"""

from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

_actions: dict[str, str] = {}
_states: dict[str, dict[str, str]] = {}


# A state label key: the state names as stored, or a workflow enum of them (a str).
_Key = TypeVar("_Key", bound=str)


def register(action: str, label: str) -> None:
    """Declare ``action`` (an ``AuditEvent.action`` code, at most 50 characters) and its label.

    Registering a code again with the same label does nothing; with another label, or with an
    empty label or an over-long code, it raises ImproperlyConfigured (two apps must not share a
    code).
    """
    action, label = str(action), str(label)
    if not label or not action or len(action) > 50:
        raise ImproperlyConfigured(f"audit action {action!r}: a code of 1-50 characters and a label")
    known = _actions.get(action)
    if known is not None and known != label:
        raise ImproperlyConfigured(f"audit action {action!r} is registered as {known!r} and {label!r}")
    _actions[action] = label


def register_many(labels: Mapping[str, str]) -> None:
    """`register` each (action, label) of ``labels``."""
    for action, label in labels.items():
        register(action, label)


def register_states(target_type: str, labels: Mapping[_Key, str]) -> None:
    """Declare the Chinese labels of the states events about ``target_type`` record.

    ``target_type`` is the model's ``_meta.label_lower`` (as ``audit_record`` stores it, e.g.
    "catalogue.item"); ``labels`` maps each state code to its label. A code given two labels for
    one target type raises ImproperlyConfigured.
    """
    known = _states.setdefault(target_type, {})
    for key, text in labels.items():
        state, label = str(key), str(text)
        if known.get(state, label) != label:
            raise ImproperlyConfigured(f"state {state!r} of {target_type} is labelled twice")
        known[state] = label


def is_registered(action: str) -> bool:
    return action in _actions


def label_for(action: str) -> str:
    """The action's Chinese label, or the code itself when none is registered (e.g. a test's)."""
    return _actions.get(action, action)


def state_label_for(state: str, target_type: str) -> str:
    """The Chinese label of ``state`` for events about ``target_type``; the code when unknown."""
    return _states.get(target_type, {}).get(state, state)


def registered() -> dict[str, str]:
    """Every registered action code and its label (a copy)."""
    return dict(_actions)


def autodiscover() -> None:
    """Import the ``audit_actions`` module of every installed app that has one."""
    autodiscover_modules("audit_actions")
