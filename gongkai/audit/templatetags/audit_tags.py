"""Chinese labels for audit events shown on staff pages (from gongkai.audit.registry)."""

from django import template

from gongkai.audit import registry

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    """``{{ event.action|event_label }}``: the action's label, or its code when unregistered."""
    return registry.label_for(action)


@register.filter
def state_label(state: str, target_type: str) -> str:
    """``{{ event.from_state|state_label:event.target_type }}``: the state's label for that model."""
    return registry.state_label_for(state, target_type)
