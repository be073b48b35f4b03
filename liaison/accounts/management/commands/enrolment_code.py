"""Issue a second-factor enrolment code from the command line.

For the first security administrator (nobody can issue one through the workbench yet) and for
operators who hold the server; the code is printed once and the issue is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.accounts.enrolment import enrolment_code_issue
from liaison.accounts.models import User


class Command(BaseCommand):
    help = "为账号签发一次性的动态验证码绑定码（打印一次，记入审计日志）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        code = enrolment_code_issue(actor=None, user=user)
        self.stdout.write(f"{user.username} 的绑定码：{code}")
