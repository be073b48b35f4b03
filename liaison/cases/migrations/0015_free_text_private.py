# Issue 10 (privacy): phone, ID and bank card numbers typed into a case's title or content are
# stored masked; the original text is kept encrypted in `free_text_private`.

import json

from django.db import migrations

import liaison.common.crypto

BATCH = 500


def mask_existing(apps, schema_editor):
    """Cases taken in before this change: mask their numbers too, keeping the original encrypted."""
    from liaison.common.masking import mask_numbers

    Case = apps.get_model("cases", "Case")
    changed = []
    rows = Case.objects.only("pk", "title", "content").order_by("pk")
    for case in rows.iterator(chunk_size=BATCH):
        title, content = mask_numbers(case.title), mask_numbers(case.content)
        if title == case.title and content == case.content:
            continue
        original = {"title": case.title, "content": case.content}
        case.free_text_private = json.dumps(original, ensure_ascii=False)
        case.title, case.content = title, content
        changed.append(case)
        if len(changed) >= BATCH:
            Case.objects.bulk_update(changed, ["title", "content", "free_text_private"])
            changed = []
    if changed:
        Case.objects.bulk_update(changed, ["title", "content", "free_text_private"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_pin_guard")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="free_text_private",
            field=liaison.common.crypto.EncryptedTextField(
                blank=True, editable=False, verbose_name="原文（加密）"
            ),
        ),
        # Not reversible into clear text on purpose: going back keeps the masked columns.
        migrations.RunPython(mask_existing, migrations.RunPython.noop, elidable=True),
    ]
