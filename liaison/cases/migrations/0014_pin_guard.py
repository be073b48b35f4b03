# Placeholder reserved for the security work of issue 10; operations are filled in by hand.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_intake_journal")]

    operations: list = []
