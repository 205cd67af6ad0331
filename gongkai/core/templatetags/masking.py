"""Template filter for free text that may hold personal data (gongkai.core.personal_data)."""

from django import template

from gongkai.core.personal_data import mask_personal_data

register = template.Library()


@register.filter(name="mask_personal_data")
def mask_personal_data_filter(value: object) -> str:
    """ID, phone and card numbers and house numbers in the text masked; the rest as it is.

    Apply before truncating: a number cut in half is no longer recognised.
    """
    return mask_personal_data("" if value is None else str(value))
