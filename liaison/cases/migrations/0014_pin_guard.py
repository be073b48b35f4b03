# Issue 10 (input): failed PIN entries per tracking code (liaison/cases/models/pins.py).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_intake_journal")]

    operations = [
        migrations.CreateModel(
            name="PinGuard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "tracking_code",
                    models.CharField(max_length=16, unique=True, verbose_name="查询码"),
                ),
                ("failures", models.PositiveIntegerField(default=0, verbose_name="连续错误次数")),
                ("window_started_at", models.DateTimeField(verbose_name="计数开始时间")),
                ("locked_at", models.DateTimeField(blank=True, null=True, verbose_name="锁定时间")),
            ],
            options={
                "verbose_name": "查询密码保护",
                "verbose_name_plural": "查询密码保护",
            },
        ),
    ]
