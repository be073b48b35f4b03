"""The classifier's category suggestions become "category hints" (issue 15): `Suggestion` now
means a deputy's suggestion (代表建议, liaison.suggestions). Columns are renamed in place (no data
changes); the sweep's index is dropped and built again under its new name, because a
renamed index would keep the old column name in the migration state."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_case_event_append_only"),
    ]

    operations = [
        migrations.RemoveIndex("case", "case_suggestion_pending_idx"),
        migrations.RenameField("case", "suggested_category", "hinted_category"),
        migrations.RenameField("case", "suggestion_label", "hint_label"),
        migrations.RenameField("case", "suggestion_confidence", "hint_confidence"),
        migrations.RenameField("case", "suggestion_needs_review", "hint_needs_review"),
        migrations.RenameField("case", "suggestion_model", "hint_model"),
        migrations.RenameField("case", "suggestion_pending", "hint_pending"),
        migrations.AddIndex(
            "case", models.Index(fields=["hint_pending", "id"], name="case_hint_pending_idx")
        ),
    ]
