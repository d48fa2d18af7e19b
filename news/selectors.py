"""Every read of the news app.

The public reads take ``now`` (default: the current time) and see only what
``news.models.public_q`` lets through; the staff reads are for users with a news
permission. News is not tied to an area's roster, so an editor sees every article.
"""

import dataclasses
import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from news.models import Article, Category, NewsState, public_q
from news.sanitize import body_text
from portal.audit import ACTION_LABELS, Door
from portal.text import fold

MAX_QUERY_LENGTH = 100


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _with_related(queryset: QuerySet) -> QuerySet:
    # What a list item shows: the cover's variants, the category and the area's name.
    return queryset.select_related("cover", "category", "area")


def search_condition(query: str) -> Q:
    """Every word of ``query``, folded, in the folded title + summary + body."""
    condition = Q()
    for word in fold(query[:MAX_QUERY_LENGTH]).split():
        condition &= Q(search_text__contains=word)
    return condition


def public_articles(*, now=None, category: Category | None = None, query: str = "") -> QuerySet:
    """Public articles, newest first, optionally of one category and matching a search
    that ignores diacritics ("dan van kheo" finds "Dân vận khéo")."""
    queryset = Article.objects.filter(public_q(_now(now)))
    if category is not None:
        queryset = queryset.filter(category=category)
    if query.strip():
        queryset = queryset.filter(search_condition(query))
    return _with_related(queryset).order_by("-publish_at", "-id")


def public_article(*, slug: str, now=None) -> Article | None:
    """The public article at ``slug``, or None (unknown, draft, scheduled for later,
    archived: all answer the same 404)."""
    return (
        Article.objects.filter(public_q(_now(now)), slug=slug)
        .select_related("cover", "category", "area", "area__parent")
        .first()
    )


def latest_articles(*, limit: int = 5, now=None) -> list[Article]:
    return list(public_articles(now=now)[:limit])


def related_articles(article: Article, *, limit: int = 4, now=None) -> list[Article]:
    """Other public articles of the same category or the same area, newest first."""
    condition = Q()
    if article.category_id:
        condition |= Q(category_id=article.category_id)
    if article.area_id:
        condition |= Q(area_id=article.area_id)
    if not condition:
        return []
    return list(public_articles(now=now).filter(condition).exclude(pk=article.pk)[:limit])


def categories_in_use(*, now=None) -> list[Category]:
    """Categories with at least one public article, in their order (the section menu)."""
    live = Article.objects.filter(public_q(_now(now)), category=OuterRef("pk"))
    return list(Category.objects.filter(Exists(live)).order_by("position", "name"))


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


@dataclasses.dataclass(frozen=True)
class PagesState:
    version: int
    next_publish_at: datetime.datetime | None
    generation: str = ""

    @property
    def key(self) -> str:
        return f"{self.generation}:{self.version}"


def pages_state() -> PagesState:
    """The public pages' version and the next scheduled publication (one query)."""
    row = (
        NewsState.objects.filter(pk=1)
        .values_list("version", "next_publish_at", "generation")
        .first()
    )
    if row is None:
        return PagesState(0, None)
    return PagesState(row[0], row[1], row[2].hex)


# --- Staff ---------------------------------------------------------------------------------


def articles_for_staff(user) -> QuerySet:
    """Every article for a user who may see the news desk (``news.view_article``), none
    for anyone else."""
    if not (user and user.is_authenticated and user.has_perm("news.view_article")):
        return Article.objects.none()
    return Article.objects.select_related("category", "author", "cover", "area").order_by(
        "-updated_at", "-id"
    )


def article_for_staff(user, pk: int) -> Article | None:
    return articles_for_staff(user).filter(pk=pk).first()


# --- Revisions (the audit trail's rows of one article) -------------------------------------


@dataclasses.dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class Revision:
    """One saved state of an article: when, who, through which door, why, what changed
    against the state before."""

    history_id: int
    when: datetime.datetime
    user_label: str
    door_label: str
    action_label: str
    reason: str
    status_label: str
    changes: list[FieldChange]
    first: bool


#: Fields a revision lists, in this order; the body is summarised, not printed.
REVISION_FIELDS = (
    "title", "summary", "body", "category", "area", "byline", "cover", "cover_alt",
    "cover_caption", "cover_credit", "status", "publish_at",
)  # fmt: skip


def _revision_value(field, value, names: dict) -> str:
    from django.db.models import ForeignKey

    if value in (None, ""):
        return "—"
    if isinstance(field, ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return str(value)


def article_revisions(article: Article) -> list[Revision]:
    """Every recorded state of ``article``, newest first, each with its changes against
    the one before (the audit trail, ``portal.audit``). Three queries: the rows with
    their users, then the names of the categories, areas and images they point at."""
    from django.db.models import ForeignKey
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    rows = list(
        Article.history.filter(id=article.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = [Article._meta.get_field(name) for name in REVISION_FIELDS]
    wanted: dict = {}
    for row in rows:
        for field in fields:
            value = getattr(row, field.attname)
            if isinstance(field, ForeignKey) and value is not None:
                wanted.setdefault(field.related_model, set()).add(value)
    names = {}
    for model, ids in wanted.items():
        names.update({(model, pk): str(obj) for pk, obj in model.objects.in_bulk(ids).items()})

    revisions = []
    previous = None
    for row in rows:
        changes = []
        for field in fields:
            new = getattr(row, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is not None and old == new:
                continue
            if previous is None and new in (None, ""):
                continue
            label = capfirst(str(field.verbose_name))
            if field.name == "body":
                old_len = len(body_text(old or "")) if previous is not None else 0
                changes.append(
                    FieldChange(
                        label,
                        _("{n} ký tự").format(n=old_len) if previous is not None else "",
                        _("{n} ký tự").format(n=len(body_text(new or ""))),
                    )
                )
                continue
            changes.append(
                FieldChange(
                    label,
                    _revision_value(field, old, names) if previous is not None else "",
                    _revision_value(field, new, names),
                )
            )
        user = row.history_user
        revisions.append(
            Revision(
                history_id=row.history_id,
                when=row.history_date,
                user_label=(user.get_full_name() or user.get_username()) if user else "—",
                door_label=str(Door(row.door).label) if row.door in Door.values else row.door,
                action_label=str(ACTION_LABELS.get(row.history_type, row.history_type)),
                reason=row.history_change_reason or "",
                status_label=str(dict(Article._meta.get_field("status").flatchoices)[row.status]),
                changes=changes,
                first=previous is None,
            )
        )
        previous = row
    revisions.reverse()
    return revisions


def article_revision(article: Article, history_id: int):
    """One recorded state of ``article`` (a simple-history row), or None."""
    return (
        Article.history.filter(id=article.pk, history_id=history_id)
        .select_related("history_user")
        .first()
    )
