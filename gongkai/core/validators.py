"""Validators shared by every form of the project."""

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.textinput import refusal_message


def validate_text(value: object) -> None:
    """Refuse control characters, lone surrogates and noncharacters (``core.textinput``).

    NUL is left to Django's own ``ProhibitNullCharactersValidator``, which every CharField has.
    """
    if isinstance(value, str) and (message := refusal_message(value.replace("\x00", ""))):
        raise ValidationError(message, code="refused_characters")


def install_text_validator() -> None:
    """Give every ``forms.CharField`` (and its subclasses, admin forms included) the text rule.

    One shared point rather than a validator per field: a form field added later is covered
    without an edit. Called once from ``CoreConfig.ready``.
    """
    if validate_text not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, validate_text]
