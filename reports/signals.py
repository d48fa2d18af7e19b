"""Every write to the counted tables bumps the data version (reports.models).

Saves and deletes come through Django's model signals; bulk writes (imports, demo
data, the divisions loader) send ``units.signals.data_changed`` themselves, since
bulk_create and bulk_update send no model signal.
"""

from django.db.models.signals import post_delete, post_save

from reports.models import bump_data_version
from units.signals import data_changed


def _bump(sender, **kwargs):
    bump_data_version()


def connect() -> None:
    from evaluations.models import Evaluation
    from members.models import Membership, Person
    from units.models import Area, Unit

    for model in (Area, Unit, Person, Membership, Evaluation):
        post_save.connect(_bump, sender=model, dispatch_uid=f"stats-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"stats-del-{model.__name__}")
    data_changed.connect(_bump, dispatch_uid="stats-bulk")
