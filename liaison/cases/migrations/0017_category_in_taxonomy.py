"""The category tree now belongs to the taxonomy app (decision 0014). State only: the table
`cases_category` and every foreign key to it stay exactly as they are in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_event_kind_unmerged"),
        ("taxonomy", "0001_initial"),
        # The routing rule must point at the new owner before the old model leaves the state.
        ("units", "0002_routingrule_category_in_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="category",
                    name="category_unique_path",
                ),
                migrations.RemoveConstraint(
                    model_name="category",
                    name="category_unique_national",
                ),
                migrations.AlterField(
                    model_name="case",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="分类",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="suggested_category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="系统建议分类",
                    ),
                ),
                migrations.AlterField(
                    model_name="classificationfeedback",
                    name="chosen_category",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="确认分类",
                    ),
                ),
                migrations.DeleteModel(
                    name="Category",
                ),
            ],
        ),
    ]
