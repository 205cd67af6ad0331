from django.core.management.base import BaseCommand, CommandError

from gongkai.organisation.models import User
from gongkai.twofactor import services


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator (e.g. the only security administrator lost their phone). "
        "Audited as second_factor_reset with no actor."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Why (kept in the audit log).")

    def handle(self, *args, username: str, reason: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}。")
        removed = services.reset(actor=None, user=user, address="command", reason=reason)
        self.stdout.write(f"已重置 {username} 的第二因素（{removed} 个身份验证器）；其下次登录时重新绑定。")
