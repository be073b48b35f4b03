"""The session's report and register moved onto the jobs app's `ExportJob` (decision 0044's
follow-up): the suggestions' own job model goes.

Its files were temporary exports (kept `EXPORT_RETENTION_HOURS`, then deleted by the worker), so
the files still on storage are deleted here before the table is dropped: nothing would ever
reach or expire them again. The rows' who-exported-what stays in the audit trail. Going back
recreates an empty table; the deleted files do not come back.
"""

from typing import Any

from django.db import migrations


def _delete_files(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("suggestions", "SuggestionExport")
    storage = model._meta.get_field("file").storage
    for name in model.objects.exclude(file="").values_list("file", flat=True).iterator():
        storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0003_sources_receptions_activities_unrated_exports"),
    ]

    operations = [
        migrations.RunPython(_delete_files, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="suggestionexport",
            name="suggestions_status_104c40_idx",
        ),
        migrations.DeleteModel(name="SuggestionExport"),
    ]
