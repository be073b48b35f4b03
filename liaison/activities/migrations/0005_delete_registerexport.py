"""The activity and training registers' jobs moved onto the jobs app (decision 0044's follow-up,
the kind `activities.register`): the old `RegisterExport` table goes.

Its files were temporary exports (a register is rebuilt from the records whenever it is asked
for) and that model never expired them, so they are deleted from storage here, before the table
that names them is dropped; nothing else points at them. Going back recreates an empty table."""

from django.db import migrations


def delete_files(apps, schema_editor):
    RegisterExport = apps.get_model("activities", "RegisterExport")
    for row in RegisterExport.objects.exclude(file="").iterator():
        row.file.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_training_gaps_indexes"),
    ]

    operations = [
        migrations.RunPython(delete_files, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegisterExport"),
    ]
