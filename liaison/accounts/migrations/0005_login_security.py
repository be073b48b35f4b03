# Login security of issue 10: login throttles (replacing django-axes) and enrolment codes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_membership_unit_membership_membership_one_scope_and_more")]

    operations = [
        migrations.CreateModel(
            name="EnrolmentCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code_hash", models.CharField(max_length=64, verbose_name="绑定码摘要")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="签发时间")),
                ("expires_at", models.DateTimeField(verbose_name="失效时间")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="使用时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签发人",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enrolment_codes",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={
                "verbose_name": "动态验证码绑定码",
                "verbose_name_plural": "动态验证码绑定码",
            },
        ),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pair", "用户名 + 地址"),
                            ("address", "地址"),
                            ("username", "用户名"),
                        ],
                        max_length=10,
                        verbose_name="类型",
                    ),
                ),
                ("username", models.CharField(blank=True, max_length=150, verbose_name="用户名")),
                ("address", models.CharField(blank=True, max_length=45, verbose_name="地址")),
                ("failures", models.PositiveIntegerField(default=0, verbose_name="失败次数")),
                (
                    "last_failure_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="最近失败"),
                ),
                (
                    "blocked_until",
                    models.DateTimeField(blank=True, null=True, verbose_name="暂停至"),
                ),
                (
                    "succeeded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="最近成功登录"),
                ),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="过期时间")),
            ],
            options={
                "verbose_name": "登录失败计数",
                "verbose_name_plural": "登录失败计数",
                "indexes": [models.Index(fields=["username"], name="login_throttle_username")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "username", "address"), name="login_throttle_unique_key"
                    )
                ],
            },
        ),
    ]
