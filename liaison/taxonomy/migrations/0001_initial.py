"""The category tree moves from cases to its own app (decision 0014): the table stays
`cases_category`; only Django's idea of which app owns the model changes, so nothing is copied.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("regions", "0001_initial"),
        ("cases", "0016_event_kind_unmerged"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Category",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="名称")),
                        ("level", models.PositiveSmallIntegerField(verbose_name="层级")),
                        ("path", models.CharField(max_length=200, verbose_name="路径")),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="children",
                                to="taxonomy.category",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="regions.region",
                                verbose_name="辖区",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "意见分类",
                        "verbose_name_plural": "意见分类",
                        "db_table": "cases_category",
                        "ordering": ["path"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("region", "path"), name="category_unique_path"
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("region__isnull", True)),
                                fields=("path",),
                                name="category_unique_national",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
