# Placeholder reserved for the security work of issue 10; operations are filled in by hand.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations: list = []
