"""Every write of the news app: articles, their images, categories, scheduled publishing.

Views, forms, the admin, the demo generator and the ``publish_scheduled`` command all
call these functions; none of them saves a model itself. Each service checks the acting
user's permission (``acting_user=None`` is the system: a command or the scheduler),
sanitizes the body, makes the slug and the search column, keeps the audit trail's reason
and bumps the version of the public pages (``NewsState``) in the same transaction.

Who may do what (``NewsConfig.ready`` grants the news editor role): writing needs
``news.add_article`` / ``news.change_article``; publishing, scheduling and archiving
need ``news.publish_article``. System administrators have every permission.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from news import images
from news.choices import ArticleStatus
from news.models import Article, Category, Image, NewsState
from news.sanitize import body_text, clean_body
from portal.audit import audit_context
from portal.text import fold, normalize
from units.choices import Level

ERROR_NOT_ALLOWED = _("Tài khoản của bạn không được sửa tin bài.")
ERROR_NOT_ALLOWED_PUBLISH = _("Tài khoản của bạn không được đăng, hẹn giờ hay lưu trữ tin bài.")
ERROR_NOT_ALLOWED_CATEGORY = _("Tài khoản của bạn không được sửa chuyên mục tin.")
ERROR_TITLE_REQUIRED = _("Chưa nhập tiêu đề.")
ERROR_SUMMARY_REQUIRED = _("Chưa nhập tóm tắt (sa-pô).")
ERROR_BODY_REQUIRED = _("Bài chưa có nội dung: viết nội dung rồi mới đăng được.")
ERROR_COVER_ALT_REQUIRED = _(
    "Cần nhập mô tả ảnh đại diện (cho người không nhìn thấy ảnh, ví dụ người dùng trình đọc "
    "màn hình)."
)
ERROR_IMAGE_ALT_REQUIRED = _("Cần nhập mô tả ảnh (cho người không nhìn thấy ảnh).")
ERROR_AREA_LEVEL = _("Địa bàn liên quan phải là một tỉnh, một huyện hoặc một xã.")
ERROR_SCHEDULE_PAST = _("Thời điểm hẹn giờ phải sau thời điểm hiện tại.")
ERROR_SCHEDULE_STATUS = _("Chỉ hẹn giờ được bài nháp hoặc bài đang hẹn giờ chưa tới giờ đăng.")
ERROR_ALREADY_PUBLISHED = _("Bài đã được đăng.")
ERROR_ALREADY_ARCHIVED = _("Bài đã được lưu trữ.")
ERROR_UNSCHEDULE_STATUS = _("Chỉ hủy hẹn giờ được bài đang hẹn giờ chưa tới giờ đăng.")
ERROR_CATEGORY_NAME_REQUIRED = _("Chưa nhập tên chuyên mục.")

REASON_PUBLISH = _("Đăng bài")
REASON_SCHEDULE = _("Hẹn giờ đăng lúc {when}")
REASON_UNSCHEDULE = _("Hủy hẹn giờ, đưa về bản nháp")
REASON_ARCHIVE = _("Lưu trữ (gỡ khỏi trang công khai)")
REASON_SCHEDULED_PUBLISH = _("Đăng theo lịch hẹn giờ")

#: Slug length before a collision suffix ("-2").
SLUG_MAX = 80
#: A title that folds to nothing ("!!!") still gets a path.
SLUG_FALLBACK = "tin-bai"
#: Paths under /tin-tuc/ that are not articles.
RESERVED_SLUGS = {"chuyen-muc", "rss", "atom"}

#: Fields of an article an editor writes (the rest is derived or set by a transition).
ARTICLE_FIELDS = (
    "title", "summary", "body", "category", "area", "byline",
    "cover", "cover_alt", "cover_caption", "cover_credit",
)  # fmt: skip


def has_content(body: str) -> bool:
    """Whether a (sanitized) body holds any text or picture: "<p><br></p>" does not."""
    return bool(body_text(body)) or "<img " in body


# --- Permissions ---------------------------------------------------------------------------


def _require(user, *perms: str, message=ERROR_NOT_ALLOWED) -> None:
    """``user`` must have one of ``perms``; None is the system (command, scheduler)."""
    if user is None:
        return
    if not (user.is_active and any(user.has_perm(p) for p in perms)):
        raise PermissionDenied(message)


def can_edit(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("news.change_article"))


def can_publish(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("news.publish_article"))


# --- The public pages' version -------------------------------------------------------------


def pages_changed() -> None:
    """Make every cached public news page stale and remember the next scheduled
    publication. Runs inside the writer's transaction: readers see the new version
    exactly when they can see the new data."""
    next_at = Article.objects.filter(status=ArticleStatus.SCHEDULED).aggregate(
        at=Min("publish_at")
    )["at"]
    if not NewsState.objects.filter(pk=1).update(version=F("version") + 1, next_publish_at=next_at):
        NewsState.objects.update_or_create(
            pk=1, defaults={"version": 1, "next_publish_at": next_at}
        )


# --- Slugs and derived fields --------------------------------------------------------------


def slug_base(title: str) -> str:
    """The title without diacritics, as a path: "Tin Bắc Kạn" -> "tin-bac-kan"."""
    base = slugify(fold(title))
    if len(base) > SLUG_MAX:
        base = base[:SLUG_MAX].rsplit("-", 1)[0]
    return base.strip("-") or SLUG_FALLBACK


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """``slug_base(title)``, with "-2", "-3" ... when another article has it (one query)."""
    base = slug_base(title)
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _slug_follows_title(article: Article) -> bool:
    # Until an article has had a publish time its link has never been out: the slug may
    # still follow the title. Afterwards it never changes (published links keep working).
    return not article.slug or (
        article.status == ArticleStatus.DRAFT and article.publish_at is None
    )


def _fill_derived(article: Article) -> None:
    article.title = normalize(article.title)
    article.summary = normalize(article.summary)
    article.byline = normalize(article.byline)
    article.cover_alt = normalize(article.cover_alt)
    article.cover_caption = normalize(article.cover_caption)
    article.cover_credit = normalize(article.cover_credit)
    article.body = clean_body(article.body)
    article.search_text = fold(" ".join([article.title, article.summary, body_text(article.body)]))


def _validate(article: Article) -> None:
    errors = {}
    if not normalize(article.title):
        errors["title"] = ERROR_TITLE_REQUIRED
    if not normalize(article.summary):
        errors["summary"] = ERROR_SUMMARY_REQUIRED
    if article.cover_id and not normalize(article.cover_alt):
        errors["cover_alt"] = ERROR_COVER_ALT_REQUIRED
    if article.area_id and article.area.level not in (
        Level.PROVINCE,
        Level.DISTRICT,
        Level.COMMUNE,
    ):
        errors["area"] = ERROR_AREA_LEVEL
    if errors:
        raise ValidationError(errors)


def _save(article: Article, acting_user) -> Article:
    """Clean, validate and save, with a fresh slug when it may follow the title; a slug
    taken by a concurrent writer between the check and the INSERT is retried once. The
    history row records ``acting_user`` (the audit context's user otherwise: the
    request's, or none for the system)."""
    with audit_context(user=acting_user):
        return _save_as_is(article)


def _save_as_is(article: Article) -> Article:
    _fill_derived(article)
    _validate(article)
    follows = _slug_follows_title(article)
    if follows:
        article.slug = unique_slug(article.title, exclude_pk=article.pk)
    article.full_clean(exclude=["slug"])
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        if not follows:
            raise
        article.slug = unique_slug(article.title, exclude_pk=article.pk)
        article.save()
    pages_changed()
    return article


# --- Images --------------------------------------------------------------------------------


@transaction.atomic
def image_create(*, upload, alt: str, acting_user) -> Image:
    """Check an uploaded picture, store it cleaned with its resized copies and record it.
    ``alt`` (what the picture shows, for readers who cannot see it) is required."""
    _require(acting_user, "news.add_article", "news.change_article")
    alt = normalize(alt)
    if not alt:
        raise ValidationError({"alt": ERROR_IMAGE_ALT_REQUIRED})
    try:
        picture = images.open_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    fields = images.store_picture(picture)
    image = Image(
        file=fields["file"],
        width=fields["width"],
        height=fields["height"],
        variants=fields["variants"],
        alt=alt,
        uploaded_by=acting_user if acting_user and acting_user.pk else None,
    )
    # The files are written before the row: remove them if the row is not.
    try:
        image.full_clean(exclude=["file"])
        image.save()
    except Exception:
        images.delete_files(image)
        raise
    return image


# --- Articles ------------------------------------------------------------------------------


def _apply_cover(article: Article, *, cover_upload, acting_user, remove_cover: bool) -> None:
    if remove_cover:
        article.cover = None
        article.cover_alt = article.cover_caption = article.cover_credit = ""
    if cover_upload is not None:
        if not normalize(article.cover_alt):
            raise ValidationError({"cover_alt": ERROR_COVER_ALT_REQUIRED})
        try:
            article.cover = image_create(
                upload=cover_upload, alt=article.cover_alt, acting_user=acting_user
            )
        except ValidationError as exc:
            raise ValidationError({"cover": exc.messages}) from exc


@transaction.atomic
def article_create(
    *,
    acting_user,
    title: str,
    summary: str,
    body: str = "",
    category: Category | None = None,
    area=None,
    byline: str = "",
    cover: Image | None = None,
    cover_upload=None,
    cover_alt: str = "",
    cover_caption: str = "",
    cover_credit: str = "",
) -> Article:
    """A new draft written by ``acting_user`` (its author). ``cover_upload``: a picture
    file that becomes the cover (with ``cover_alt`` required)."""
    _require(acting_user, "news.add_article")
    article = Article(
        title=title,
        summary=summary,
        body=body,
        category=category,
        area=area,
        byline=byline,
        cover=cover,
        cover_alt=cover_alt,
        cover_caption=cover_caption,
        cover_credit=cover_credit,
        author=acting_user if acting_user and acting_user.pk else None,
        status=ArticleStatus.DRAFT,
    )
    _apply_cover(article, cover_upload=cover_upload, acting_user=acting_user, remove_cover=False)
    return _save(article, acting_user)


@transaction.atomic
def article_update(
    *, article: Article, acting_user, cover_upload=None, remove_cover: bool = False, **changes
) -> Article:
    """Change what an editor writes (``ARTICLE_FIELDS``); the status does not change:
    a published article edited stays published, with the same link."""
    _require(acting_user, "news.change_article")
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update() got unexpected fields: {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    for name, value in changes.items():
        setattr(article, name, value)
    _apply_cover(
        article, cover_upload=cover_upload, acting_user=acting_user, remove_cover=remove_cover
    )
    return _save(article, acting_user)


@transaction.atomic
def article_publish(*, article: Article, acting_user, now: datetime.datetime | None = None):
    """Publish now (a draft, a scheduled article before its time, or an archived one put
    back: that one keeps its first publication date)."""
    _require(acting_user, "news.publish_article", message=ERROR_NOT_ALLOWED_PUBLISH)
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == ArticleStatus.PUBLISHED:
        raise ValidationError(ERROR_ALREADY_PUBLISHED)
    if not has_content(article.body):
        raise ValidationError({"body": ERROR_BODY_REQUIRED})
    restoring = article.status == ArticleStatus.ARCHIVED and article.publish_at is not None
    if not restoring and not (
        article.status == ArticleStatus.SCHEDULED and article.publish_at <= now
    ):
        article.publish_at = now
    article.status = ArticleStatus.PUBLISHED
    with audit_context(reason=str(REASON_PUBLISH)):
        return _save(article, acting_user)


@transaction.atomic
def article_schedule(
    *,
    article: Article,
    publish_at: datetime.datetime,
    acting_user,
    now: datetime.datetime | None = None,
) -> Article:
    """Have the article published at ``publish_at`` (in the future) with nobody present:
    it is public from that moment (``news.models.public_q``), and the
    ``publish_scheduled`` job then records it as published."""
    _require(acting_user, "news.publish_article", message=ERROR_NOT_ALLOWED_PUBLISH)
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_public(now) or article.status not in (
        ArticleStatus.DRAFT,
        ArticleStatus.SCHEDULED,
    ):
        raise ValidationError(ERROR_SCHEDULE_STATUS)
    if publish_at <= now:
        raise ValidationError({"publish_at": ERROR_SCHEDULE_PAST})
    if not has_content(article.body):
        raise ValidationError({"body": ERROR_BODY_REQUIRED})
    article.status = ArticleStatus.SCHEDULED
    article.publish_at = publish_at
    when = formats.date_format(timezone.localtime(publish_at), "H:i d/m/Y")
    with audit_context(reason=str(REASON_SCHEDULE).format(when=when)):
        return _save(article, acting_user)


@transaction.atomic
def article_unschedule(*, article: Article, acting_user, now=None) -> Article:
    """Cancel a schedule that has not come yet: back to a draft."""
    _require(acting_user, "news.publish_article", message=ERROR_NOT_ALLOWED_PUBLISH)
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != ArticleStatus.SCHEDULED or article.publish_at <= now:
        raise ValidationError(ERROR_UNSCHEDULE_STATUS)
    article.status = ArticleStatus.DRAFT
    article.publish_at = None
    with audit_context(reason=str(REASON_UNSCHEDULE)):
        return _save(article, acting_user)


@transaction.atomic
def article_archive(*, article: Article, acting_user) -> Article:
    """Take the article off the public pages (its link answers 404); kept, and can be
    published again."""
    _require(acting_user, "news.publish_article", message=ERROR_NOT_ALLOWED_PUBLISH)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == ArticleStatus.ARCHIVED:
        raise ValidationError(ERROR_ALREADY_ARCHIVED)
    article.status = ArticleStatus.ARCHIVED
    with audit_context(reason=str(REASON_ARCHIVE)):
        return _save(article, acting_user)


def publish_due(*, now: datetime.datetime | None = None) -> int:
    """Record as published every scheduled article whose time has come, and refresh the
    cached pages. Run every minute by ``manage.py publish_scheduled`` (docs/NEWS.md);
    the articles were already public since their ``publish_at``. Returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic(), audit_context(reason=str(REASON_SCHEDULED_PUBLISH)):
        due = Article.objects.select_for_update().filter(
            status=ArticleStatus.SCHEDULED, publish_at__lte=now
        )
        for article in due:
            article.status = ArticleStatus.PUBLISHED
            article.save(update_fields=["status", "updated_at"])
            count += 1
        state = NewsState.objects.filter(pk=1).values_list("next_publish_at", flat=True).first()
        if count or (state is not None and state <= now):
            pages_changed()
    return count


# --- Categories ----------------------------------------------------------------------------


def _category_save(category: Category, acting_user) -> Category:
    with audit_context(user=acting_user):
        return _category_save_as_is(category)


def _category_save_as_is(category: Category) -> Category:
    category.name = normalize(category.name)
    if not category.name:
        raise ValidationError({"name": ERROR_CATEGORY_NAME_REQUIRED})
    if not category.slug:
        base = slug_base(category.name)
        taken = set(
            Category.objects.filter(slug__startswith=base)
            .exclude(pk=category.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        category.slug = slug
    category.full_clean()
    category.save()
    pages_changed()
    return category


@transaction.atomic
def category_create(
    *, name: str, acting_user, slug: str = "", description: str = "", position: int = 0
) -> Category:
    """A news section; its slug is made from the name without diacritics when not given."""
    _require(acting_user, "news.add_category", message=ERROR_NOT_ALLOWED_CATEGORY)
    category = Category(name=name, slug=slug, description=normalize(description), position=position)
    return _category_save(category, acting_user)


@transaction.atomic
def category_update(*, category: Category, acting_user, **changes) -> Category:
    _require(acting_user, "news.change_category", message=ERROR_NOT_ALLOWED_CATEGORY)
    for name, value in changes.items():
        if name not in {"name", "slug", "description", "position"}:
            raise TypeError(f"category_update() got an unexpected field: {name}")
        setattr(category, name, value)
    return _category_save(category, acting_user)
