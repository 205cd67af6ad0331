"""Password rules: Django's validators, with Chinese text where Django's translation lacks it.

Django 5.2 reworded the minimum-length messages and its zh-hans catalogue has no translation of
the new wording, so staff saw English; the rule itself is Django's.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (settings.PASSWORD_MIN_LENGTH, 12 by default)."""

    def get_error_message(self) -> str:
        return f"密码长度太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
