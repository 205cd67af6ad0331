from django.core.management.base import BaseCommand

from gongkai.demo.builder import build_demo


class Command(BaseCommand):
    help = "Create the demo platform (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        result = build_demo()
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
