"""The routing rule's category now names taxonomy.Category (the same table, decision 0014)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="routingrule",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="为空表示该辖区内所有分类",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="分类",
                    ),
                ),
            ],
        ),
    ]
