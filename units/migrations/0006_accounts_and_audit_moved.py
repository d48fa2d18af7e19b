"""StaffProfile and the account histories move to the accounts app, ExportRecord to the
audit app: removed from the units app's state only. The tables stay, under their names,
and become the new apps' (accounts 0001 and audit 0001, which run after this one).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0005_staffprofile_must_change_password_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # The many-to-many history first: it points at the two below.
                migrations.DeleteModel(name="HistoricalStaffProfile_areas"),
                migrations.DeleteModel(name="HistoricalStaffProfile"),
                migrations.DeleteModel(name="HistoricalUser"),
                migrations.DeleteModel(name="StaffProfile"),
                migrations.DeleteModel(name="ExportRecord"),
            ],
        ),
    ]
