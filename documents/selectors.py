"""Every read of the documents app.

The public reads see published documents only (``Document.objects.public``); the staff
reads are for users with ``documents.view_document``. Documents are not tied to a
roster: an editor sees every document, and a document's related area is a public fact.
"""

import dataclasses
import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.text import capfirst

from documents.models import Attachment, Document
from portal.audit import ACTION_LABELS, Door
from portal.paths import PATH_SEPARATOR
from portal.text import fold
from units.choices import Level
from units.models import Area

MAX_QUERY_LENGTH = 100


def search_condition(query: str) -> Q:
    """Every word of ``query``, folded, in the folded type, number, title and summary:
    "huong dan 267" finds "Hướng dẫn 267-HD/DVTU"."""
    condition = Q()
    for word in fold(query[:MAX_QUERY_LENGTH]).split():
        condition &= Q(search_text__contains=word)
    return condition


def area_condition(area: Area) -> Q:
    """Documents about ``area`` or anything under it (a province's filter shows its
    communes' documents too)."""
    return Q(area__path__descendant_of=area.path)


def _attachments() -> Prefetch:
    return Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id"))


def public_documents() -> QuerySet:
    """Published documents, newest issued first, with what a list item shows (the area's
    name, the files) loaded in two more queries whatever the number of rows."""
    return (
        Document.objects.public()
        .select_related("area")
        .prefetch_related(_attachments())
        .order_by("-issued_on", "-id")
    )


def public_document(key: str) -> Document | None:
    """The published document at ``key`` (its slug, or its id), or None: unknown and
    unpublished documents answer the same 404."""
    return _document_by_key(Document.objects.public(), key)


def _document_by_key(queryset: QuerySet, key: str) -> Document | None:
    condition = Q(pk=int(key)) if key.isdigit() and len(key) < 10 else Q(slug=key)
    return (
        queryset.filter(condition)
        .select_related("area", "area__parent", "replaced_by")
        .prefetch_related(_attachments())
        .first()
    )


def document_for_reader(user, key: str) -> Document | None:
    """``public_document``, or for staff who keep the documents any document (a draft is
    previewed at its future address)."""
    if can_view_drafts(user):
        return _document_by_key(Document.objects.all(), key)
    return public_document(key)


def can_view_drafts(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("documents.view_document"))


def replaced_documents(document: Document) -> list[Document]:
    """The published documents that ``document`` replaced."""
    return list(Document.objects.public().filter(replaced_by=document).order_by("-issued_on"))


def latest_documents(*, limit: int = 5) -> list[Document]:
    return list(public_documents()[:limit])


def public_attachment(*, key: str, pk: int, user=None) -> Attachment | None:
    """An attachment of the document at ``key``: of a published document for everyone,
    of any document for staff who keep the documents."""
    documents = Document.objects.all() if can_view_drafts(user) else Document.objects.public()
    document = documents.filter(
        Q(pk=int(key)) if key.isdigit() and len(key) < 10 else Q(slug=key)
    ).first()
    if document is None:
        return None
    attachment = Attachment.objects.filter(document=document, pk=pk).first()
    if attachment is not None:
        attachment.document = document
    return attachment


# --- The public list's filter choices ------------------------------------------------------


def issuer_choices() -> list[str]:
    """Issuing bodies of published documents, in alphabetical order."""
    # order_by(): without it the default ordering joins the DISTINCT and repeats rows.
    issuers = Document.objects.public().order_by().values_list("issuer", flat=True).distinct()
    return sorted(set(issuers), key=fold)


def year_choices() -> list[int]:
    """Years in which published documents were issued, newest first."""
    years = (
        Document.objects.public()
        .order_by()
        .annotate(year=ExtractYear("issued_on"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def area_choices() -> QuerySet:
    """The areas of published documents and the provinces and districts above them, in
    tree order, so a reader can filter by a province and see its communes' documents
    too. Two queries."""
    paths = set(
        Document.objects.public()
        .order_by()
        .filter(area__isnull=False)
        .values_list("area__path", flat=True)
        .distinct()
    )
    wanted = set()
    for path in paths:
        parts = path.split(PATH_SEPARATOR)[:-1]
        # "legacy/06/058/01834/": the edition, then one segment per level.
        for end in range(2, len(parts) + 1):
            wanted.add(PATH_SEPARATOR.join(parts[:end]) + PATH_SEPARATOR)
    return (
        Area.objects.filter(
            path__in=wanted, level__in=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
        )
        .select_related("parent")
        .order_by("path")
    )


# --- Staff ---------------------------------------------------------------------------------


def documents_for_staff(user) -> QuerySet:
    """Every document for a user who keeps the documents (``documents.view_document``),
    none for anyone else."""
    if not can_view_drafts(user):
        return Document.objects.none()
    return Document.objects.select_related("area", "replaced_by").order_by("-updated_at", "-id")


def document_for_staff(user, pk: int) -> Document | None:
    return documents_for_staff(user).prefetch_related(_attachments()).filter(pk=pk).first()


def replacement_choices(document: Document | None) -> QuerySet:
    """Documents that may replace ``document``: any other one, newest first."""
    queryset = Document.objects.order_by("-issued_on", "-id")
    return queryset.exclude(pk=document.pk) if document is not None else queryset


# --- Revisions (the audit trail's rows of one document) ------------------------------------


@dataclasses.dataclass
class Revision:
    """One saved state of a document: when, who, through which door, why, and the names
    of the fields that changed against the state before."""

    when: datetime.datetime
    user_label: str
    door_label: str
    action_label: str
    reason: str
    changed: list[str]


#: Fields a revision names when they change.
REVISION_FIELDS = (
    "doc_type", "number", "issuer", "issued_on", "effective_on", "signer", "title",
    "summary", "area", "status", "replaced_by", "is_published",
)  # fmt: skip


def document_revisions(document: Document, *, limit: int = 20) -> list[Revision]:
    """The latest ``limit`` recorded states of ``document``, newest first, each with the
    fields changed against the state before (one query: the rows with their users)."""
    rows = list(
        Document.history.filter(id=document.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = [Document._meta.get_field(name) for name in REVISION_FIELDS]
    revisions = []
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changed = []
        if previous is not None:
            changed = [
                str(capfirst(field.verbose_name))
                for field in fields
                if getattr(row, field.attname) != getattr(previous, field.attname)
            ]
        user = row.history_user
        revisions.append(
            Revision(
                when=row.history_date,
                user_label=(user.get_full_name() or user.get_username()) if user else "—",
                door_label=str(Door(row.door).label) if row.door in Door.values else row.door,
                action_label=str(ACTION_LABELS.get(row.history_type, row.history_type)),
                reason=row.history_change_reason or "",
                changed=changed,
            )
        )
    return revisions
