"""Every write to the counted tables bumps the data version of its province
(reports.models).

Saves and deletes come through Django's model signals: an area, unit, membership or
rating bumps the province of its path, a person or a criteria set the province it is
recorded in. Bulk writes (imports, demo data, the divisions loader) send
``units.signals.data_changed`` themselves, since bulk_create and bulk_update send no
model signal, naming the provinces they wrote in (``province_paths``) when they know
them; without it every province's figures become stale. A large batch
(``large_batch=True``) also has the statistics' log folded once it commits.
"""

from django.db.models.signals import post_delete, post_save

from reports.aggregates import compact_on_commit
from reports.models import bump_province_id, bump_version, bump_versions
from units.signals import data_changed


def _bump_path(sender, instance, **kwargs):
    path = getattr(instance, "area_path", None) or getattr(instance, "path", None)
    if path:
        bump_version(path)
    else:  # not filled yet (never saved that way): be safe
        bump_versions(None)


def _bump_province(sender, instance, **kwargs):
    bump_province_id(instance.province_id)


def _bump_bulk(sender, province_paths=None, large_batch=False, **kwargs):
    bump_versions(province_paths)
    if large_batch:
        compact_on_commit()


def connect() -> None:
    from evaluations.models import CriteriaSet, Evaluation
    from members.models import Membership, Person
    from units.models import Area, Unit

    for model, receiver in (
        (Area, _bump_path),
        (Unit, _bump_path),
        (Membership, _bump_path),
        (Evaluation, _bump_path),
        (Person, _bump_province),
        (CriteriaSet, _bump_province),
    ):
        name = model.__name__
        post_save.connect(receiver, sender=model, dispatch_uid=f"stats-save-{name}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"stats-del-{name}")
    data_changed.connect(_bump_bulk, dispatch_uid="stats-bulk")
