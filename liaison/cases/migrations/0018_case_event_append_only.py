"""Case events become append-only by construction (decision 0012).

The database refuses UPDATE and DELETE on cases_caseevent (and TRUNCATE on PostgreSQL), as it
does on the audit table, and a case that has events can no longer be deleted through the ORM
(PROTECT instead of CASCADE; nothing deletes cases). The trigger statements come from the
append-only kit with the names and message fixed here; changing what the kit generates needs a
new migration, not an edit of this one.
"""

import django.db.models.deletion
from django.db import migrations, models

from liaison.common.append_only import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers(
    name="case_event", table="cases_caseevent", message="case events are append-only"
)


def install(apps, schema_editor):
    TRIGGERS.install(schema_editor.connection)


def drop(apps, schema_editor):
    TRIGGERS.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_category_in_taxonomy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="cases.case",
            ),
        ),
        migrations.RunPython(install, drop),
    ]
