# Issue 12 (layers): notifications sit below cases, so a message no longer holds a foreign key to
# its case; it names its subject by model label and key (decision 0015). Every existing case link
# is copied into ("cases.case", case_id) before the foreign keys go. The label is written out
# here: a migration never imports the app it speaks of.

from django.db import migrations, models
from django.db.models import F, Q

CASE_LABEL = "cases.case"
MODELS = ("Notification", "OutboundMessage")


def case_to_subject(apps, schema_editor):
    """One UPDATE per table: every message with a case is now about ("cases.case", case_id)."""
    for name in MODELS:
        model = apps.get_model("notifications", name)
        model.objects.filter(case__isnull=False).update(
            subject_type=CASE_LABEL, subject_id=F("case_id")
        )


def subject_to_case(apps, schema_editor):
    """Back: messages about a case get their foreign key again. Subjects of another kind have
    no column to go back to and are dropped with the subject fields (none exist before this)."""
    for name in MODELS:
        model = apps.get_model("notifications", name)
        model.objects.filter(subject_type=CASE_LABEL).update(case_id=F("subject_id"))


def subject_complete(name):
    return models.CheckConstraint(
        condition=Q(subject_type="", subject_id__isnull=True)
        | (~Q(subject_type="") & Q(subject_id__isnull=False)),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="关于对象"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="对象编号"),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="subject_type",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="关于对象"),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="对象编号"),
        ),
        migrations.RunPython(case_to_subject, subject_to_case, elidable=False),
        migrations.RemoveField(model_name="notification", name="case"),
        migrations.RemoveField(model_name="outboundmessage", name="case"),
        # The indexes after the copy: building them once is cheaper than updating them row by row.
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["subject_type", "subject_id"], name="notification_subject_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(fields=["subject_type", "subject_id"], name="outbound_subject_idx"),
        ),
        migrations.AddConstraint(
            model_name="notification", constraint=subject_complete("notification_subject_complete")
        ),
        migrations.AddConstraint(
            model_name="outboundmessage", constraint=subject_complete("outbound_subject_complete")
        ),
    ]
