# Placeholder reserved for the security work of issue 10; operations are filled in by hand.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_membership_unit_membership_membership_one_scope_and_more")]

    operations: list = []
