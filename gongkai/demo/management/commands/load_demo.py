from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.demo.builder import DemoRefused, build_demo


class Command(BaseCommand):
    help = "Create the demo platform (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        try:
            result = build_demo()
        except DemoRefused as exc:
            raise CommandError(exc.message) from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS("演示数据已创建（示范县人社局、示范县民政局，五份种子文件已导入并发布）。")
            )
        else:
            self.stdout.write("演示数据已存在，沿用现有数据库。")
        self.stdout.write("")
        self.stdout.write("== 演示账号（所有账号密码相同，仅供演示） ==")
        self.stdout.write(f"密码：{result.password}")
        for username, label, _ in result.accounts:
            self.stdout.write(f"  {username:<20} {label}")
        self.stdout.write("门户：/    工作台：/staff/    系统设置：/admin/")
        if settings.GONGKAI_2FA_REQUIRED:
            self.stdout.write(
                "第二因素已强制（GONGKAI_2FA_REQUIRED=1）：除监督员外，各账号输入密码后须用手机身份验证器"
                "扫码绑定，再输入动态验证码。"
            )
        else:
            self.stdout.write(
                "注意：演示未强制第二因素（GONGKAI_2FA_REQUIRED=0），输入密码即可登录；可在“账号安全”中"
                "自愿绑定。生产环境默认强制；体验强制流程请运行 GONGKAI_2FA_REQUIRED=1 make run。"
            )
