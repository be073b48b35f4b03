"""The station-year zips moved onto the jobs app (decision 0044's follow-up): the old
`StationYearExport` table goes.

Its files were temporary exports (a zip is rebuilt from the registers whenever it is asked for,
and they expired after EXPORT_RETENTION_HOURS anyway), so those still in storage are deleted
here, before the table that names them is dropped; nothing else points at them. Going back
recreates an empty table."""

from django.db import migrations


def delete_files(apps, schema_editor):
    StationYearExport = apps.get_model("archives", "StationYearExport")
    for row in StationYearExport.objects.exclude(file="").iterator():
        row.file.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(delete_files, migrations.RunPython.noop),
        migrations.DeleteModel(name="StationYearExport"),
    ]
