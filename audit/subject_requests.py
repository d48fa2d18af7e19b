"""Data subjects' requests on the exports page (Personal Data Protection Law, Decree
356/2025/NĐ-CP): a roster person's and a citizen's request (``EXPORT_SUBJECT_ACCESS``)
read alike, linked only to what the viewer may see (docs/SECURITY.md, "Personal data")."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import formats


@dataclasses.dataclass(frozen=True)
class SubjectRequest:
    """A data subject's request (``EXPORT_SUBJECT_ACCESS``) as the exports page reads
    it: whose (``title``: a roster person, a citizen), how many objects were answered,
    a link to each the viewer may see, how many lie outside the viewer's area (an id
    alone says nothing, so it may be counted), and how many were deleted since."""

    title: str
    links: list[tuple[str, str]]
    hidden: int
    hidden_text: str
    gone: int = 0
    gone_text: str = ""


def _request_ids(filters: dict, key: str) -> list[int]:
    value = filters.get(key)
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if str(v).isdigit()]


def subject_requests(*, user, exports) -> dict[int, SubjectRequest]:
    """The data subjects' requests among ``exports`` (a page of ``ExportRecord``), by
    export id: a person's (``filters = {"person": id}``) and a citizen's (``{"opinions":
    [ids]}``), read alike. Links only to what ``user`` may see (``people_visible_to``,
    ``opinions_visible_to``): two queries for the whole page, whatever its size, and one
    more a kind when some ids are not shown, to tell what lies outside the viewer's area
    from what was deleted since (at most four)."""
    from audit.choices import EXPORT_SUBJECT_ACCESS
    from members.models import Person
    from members.selectors import people_visible_to
    from work.models import Opinion
    from work.selectors import opinions_visible_to

    asked = {}
    for export in exports:
        if export.what != EXPORT_SUBJECT_ACCESS or not isinstance(export.filters, dict):
            continue
        if "opinions" in export.filters:
            asked[export.pk] = ("opinions", _request_ids(export.filters, "opinions"))
        elif "person" in export.filters:
            asked[export.pk] = ("person", _request_ids(export.filters, "person"))
    if not asked:
        return {}
    wanted = defaultdict(set)
    for kind, ids in asked.values():
        wanted[kind].update(ids)
    # What the viewer may open, with the text of its link (one query a kind).
    shown = {
        "person": dict(
            people_visible_to(user).filter(pk__in=wanted["person"]).values_list("pk", "full_name")
        )
        if wanted["person"]
        else {},
        "opinions": {
            pk: _("Ý kiến số {id}").format(id=pk)
            for pk in opinions_visible_to(user)
            .filter(pk__in=wanted["opinions"])
            .values_list("pk", flat=True)
        }
        if wanted["opinions"]
        else {},
    }
    # Of the ids not shown, those that still exist (unscoped: only counted, never
    # named); the others were deleted since the request.
    models = {"person": Person, "opinions": Opinion}
    existing = {
        kind: set(
            models[kind]
            .objects.filter(pk__in=wanted[kind] - set(shown[kind]))
            .values_list("pk", flat=True)
        )
        if wanted[kind] - set(shown[kind])
        else set()
        for kind in models
    }
    urls = {"person": "members:person_detail", "opinions": "work:opinion_detail"}
    titles = {
        "person": lambda n: ngettext(
            "Yêu cầu của thành viên: %(count)s người",
            "Yêu cầu của thành viên: %(count)s người",
            n,
        ),
        "opinions": lambda n: ngettext(
            "Yêu cầu của người dân: %(count)s ý kiến",
            "Yêu cầu của người dân: %(count)s ý kiến",
            n,
        ),
    }
    outside = {
        "person": lambda n: ngettext(
            "%(count)s người ngoài địa bàn của bạn", "%(count)s người ngoài địa bàn của bạn", n
        ),
        "opinions": lambda n: ngettext(
            "%(count)s ý kiến ngoài địa bàn của bạn", "%(count)s ý kiến ngoài địa bàn của bạn", n
        ),
    }
    deleted = {
        "person": lambda n: ngettext("%(count)s người đã xoá", "%(count)s người đã xoá", n),
        "opinions": lambda n: ngettext("%(count)s ý kiến đã xoá", "%(count)s ý kiến đã xoá", n),
    }
    requests = {}
    for pk, (kind, ids) in asked.items():
        links = [(reverse(urls[kind], args=[i]), shown[kind][i]) for i in ids if i in shown[kind]]
        hidden = sum(1 for i in ids if i not in shown[kind] and i in existing[kind])
        gone = len(ids) - len(links) - hidden
        requests[pk] = SubjectRequest(
            title=titles[kind](len(ids)) % {"count": formats.number(len(ids))},
            links=links,
            hidden=hidden,
            hidden_text=outside[kind](hidden) % {"count": formats.number(hidden)},
            gone=gone,
            gone_text=deleted[kind](gone) % {"count": formats.number(gone)},
        )
    return requests
