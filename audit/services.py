"""The one write of the audit app: the record of an export of personal data. (History
rows are written by django-simple-history on every save, through ``portal.audit``.)"""

from audit.choices import EXPORT_ROSTER
from audit.models import ExportRecord
from portal.audit import current_door


def _plain_filters(filters) -> dict:
    """A QueryDict or dict of filters as JSON-friendly data, empty values dropped."""
    if filters is None:
        return {}
    if hasattr(filters, "lists"):
        items = ((k, v if len(v) > 1 else v[0]) for k, v in filters.lists())
    else:
        items = filters.items()
    plain = {}
    for key, value in items:
        if value in (None, "", []):
            continue
        if isinstance(value, (list, tuple)):
            plain[str(key)] = [str(v) for v in value]
        elif isinstance(value, (int, bool)):
            plain[str(key)] = value
        else:
            plain[str(key)] = str(value)
    return plain


def record_export(
    *, user, filters, rows: int, fmt: str, door: str | None = None, what: str = EXPORT_ROSTER
) -> ExportRecord:
    """Record one export of personal data (Personal Data Protection Law, Decree
    356/2025/NĐ-CP): who, when, through
    which door, with which filter, how many rows, in which format. Returns the
    ``ExportRecord``."""
    account = user if getattr(user, "is_authenticated", False) else None
    return ExportRecord.objects.create(
        user=account,
        username=account.get_username() if account is not None else "",
        door=door or current_door(),
        what=what,
        fmt=fmt,
        filters=_plain_filters(filters),
        rows=rows,
    )
