"""News bulletins: categories, articles, their images, and the version of the public pages.

Every write goes through ``news.services``: the body is sanitized, the slug and the
search column are made and the cached public pages are invalidated there, never in a
view or the admin.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news.choices import LIVE_STATUSES, ArticleStatus
from portal.audit import AuditedHistory


class Category(models.Model):
    """A section of the news (Hoạt động Khối dân vận, Gương "Dân vận khéo" ...), with its
    own public page and feeds."""

    name = models.CharField(_("tên chuyên mục"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=120, db_index=False)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = AuditedHistory(kind="news_category")

    class Meta:
        verbose_name = _("chuyên mục tin")
        verbose_name_plural = _("chuyên mục tin")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="%(app_label)s_%(class)s_unique_slug"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", args=[self.slug])


def image_upload_to(instance, filename: str) -> str:
    # Unused in practice: news.images names every file itself (a random name per image,
    # so a URL never changes meaning and can be cached for a year).
    return f"news/{filename}"


class Image(models.Model):
    """An uploaded picture (an article's cover or an image inside its body).

    ``file`` holds the picture re-encoded without its metadata (a phone photo's EXIF can
    carry the place it was taken), at most ``news.images.MAX_STORED_SIDE`` px;
    ``variants`` lists the resized copies made on upload, as
    ``[{"width": 800, "height": 450, "jpeg": "news/...-w800.jpg", "webp": "..."}]``,
    largest first.
    """

    file = models.ImageField(
        _("tệp ảnh"), upload_to=image_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("chiều rộng"), default=0)
    height = models.PositiveIntegerField(_("chiều cao"), default=0)
    alt = models.CharField(_("mô tả ảnh (cho người không nhìn thấy ảnh)"), max_length=250)
    variants = models.JSONField(_("các cỡ ảnh"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh tin bài")
        verbose_name_plural = _("ảnh tin bài")
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt or self.file.name

    def variant(self, width: int, fmt: str = "jpeg") -> str:
        """URL of the smallest variant at least ``width`` px wide (else the largest)."""
        from django.core.files.storage import default_storage

        if not self.variants:
            return self.file.url if self.file else ""
        fitting = [v for v in self.variants if v["width"] >= width]
        chosen = min(fitting, key=lambda v: v["width"]) if fitting else self.variants[0]
        return default_storage.url(chosen[fmt])

    def srcset(self, fmt: str = "jpeg") -> str:
        from django.core.files.storage import default_storage

        return ", ".join(f"{default_storage.url(v[fmt])} {v['width']}w" for v in self.variants)

    @property
    def thumbnail_url(self) -> str:
        """The smallest copy (400 px): lists and the home page."""
        return self.variant(400)

    @property
    def url(self) -> str:
        """The body-sized copy (800 px), the one inserted into an article's text."""
        return self.variant(800)

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")


class ArticleQuerySet(models.QuerySet):
    def public(self, now) -> "ArticleQuerySet":
        """Articles the public sees at ``now``: published or scheduled, with a publish
        time already passed (``news.models.public_q``)."""
        return self.filter(public_q(now))


def public_q(now) -> Q:
    """The one definition of "public": the status is published or scheduled and
    ``publish_at`` has passed. A scheduled article therefore appears exactly on time,
    even when no job has flipped its status yet."""
    return Q(status__in=LIVE_STATUSES, publish_at__lte=now)


class Article(models.Model):
    """A news bulletin.

    ``body`` is HTML sanitized by ``news.sanitize.clean_body`` on every save through the
    services; ``search_text`` is the folded title, summary and body text
    (``portal.text.fold``), so "dan van kheo" finds "Dân vận khéo" on SQLite and
    PostgreSQL alike. ``slug`` follows the title while the article has never been
    public, then stays fixed so that published links keep working.
    """

    title = models.CharField(_("tiêu đề"), max_length=250)
    slug = models.SlugField(_("đường dẫn"), max_length=120, db_index=False, editable=False)
    summary = models.TextField(_("tóm tắt (sa-pô)"), max_length=600)
    body = models.TextField(_("nội dung"), blank=True)
    cover = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(_("mô tả ảnh đại diện"), max_length=250, blank=True)
    cover_caption = models.CharField(_("chú thích ảnh đại diện"), max_length=300, blank=True)
    cover_credit = models.CharField(_("nguồn ảnh đại diện"), max_length=150, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_articles",
    )
    byline = models.CharField(_("tác giả (hiển thị)"), max_length=150, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    area = models.ForeignKey(
        "units.Area",
        verbose_name=_("địa bàn liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_articles",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    search_text = models.TextField(_("nội dung không dấu"), blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Every revision kept (portal.audit): who, when, through which door, what changed.
    # The folded search column is derived from the rest.
    history = AuditedHistory(
        kind="article", excluded_fields=["search_text"], detail_url=("news:edit", "id")
    )

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", _("Được đăng, hẹn giờ đăng và lưu trữ tin bài"))]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="%(app_label)s_%(class)s_unique_slug"),
            models.CheckConstraint(
                condition=~Q(status__in=LIVE_STATUSES) | Q(publish_at__isnull=False),
                name="%(app_label)s_%(class)s_live_has_publish_at",
            ),
        ]
        indexes = [
            # The public list: live statuses, newest first.
            models.Index(fields=["status", "publish_at"], name="news_article_status_pub"),
            models.Index(fields=["category", "publish_at"], name="news_article_cat_pub"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.slug])

    def is_public(self, now) -> bool:
        return (
            self.status in LIVE_STATUSES and self.publish_at is not None and self.publish_at <= now
        )

    @property
    def has_been_public(self) -> bool:
        """Scheduled, published or archived after publication: its URL is out there."""
        return self.publish_at is not None and self.status != ArticleStatus.DRAFT


class NewsState(models.Model):
    """One row: the version of the public news pages and the next scheduled publication.

    Cached pages are keyed by ``version``, which every article write and the
    scheduled-publish job bump, so a change is visible at once in every web worker (the
    cache itself may be per process). ``next_publish_at`` is the earliest publish time of
    a scheduled article: once it has passed, cached pages are not used until the job has
    published that article and bumped the version (so it appears exactly on time).
    """

    version = models.BigIntegerField(_("phiên bản"), default=0)
    # Part of the cache key too: a database recreated from scratch (a restore, a test)
    # starts its versions again at 1, and must not meet pages cached for the old one.
    generation = models.UUIDField(_("thế hệ"), default=uuid.uuid4, editable=False)
    next_publish_at = models.DateTimeField(_("lần hẹn giờ đăng tiếp theo"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản trang tin")
        verbose_name_plural = _("phiên bản trang tin")

    def __str__(self):
        return str(self.version)
