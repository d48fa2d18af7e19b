"""The admin of the news: every save is a service call (``portal.forms.ServiceModelForm``),
so the body is sanitized, the slug made and the cached pages refreshed exactly as on the
news desk. Articles are archived, never deleted (their links may be out there)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news import services
from news.forms import AreaField
from news.models import Article, Category, Image
from news.selectors import search_condition
from portal.forms import ServiceAdminMixin, ServiceModelForm


class ArticleAdminForm(ServiceModelForm):
    # Typed as on the desk: the admin's id box linked to the areas' admin, which a news
    # editor may not open (403).
    area = AreaField()

    class Meta:
        model = Article
        fields = list(services.ARTICLE_FIELDS)

    def call_service(self, data: dict) -> Article:
        values = {name: data.get(name) for name in services.ARTICLE_FIELDS if name in data}
        for name in ("body", "byline", "cover_alt", "cover_caption", "cover_credit"):
            if name in values and values[name] is None:
                values[name] = ""
        if self.instance.pk:
            return services.article_update(
                article=self.instance, acting_user=self.acting_user, **values
            )
        return services.article_create(acting_user=self.acting_user, **values)


@admin.register(Article)
class ArticleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "publish_date", "category", "author"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    raw_id_fields = ["cover"]
    readonly_fields = ["slug", "status", "publish_at", "author", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "body", "category", "area", "byline"]}),
        (_("Ảnh đại diện"), {"fields": ["cover", "cover_alt", "cover_caption", "cover_credit"]}),
        (
            _("Đăng bài"),
            {"fields": ["slug", "status", "publish_at", "author", "created_at", "updated_at"]},
        ),
    ]
    actions = ["publish_selected", "archive_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "author")

    def get_search_results(self, request, queryset, search_term):
        # The same search as the public pages: ignores diacritics, title + summary + body.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_condition(search_term)), False

    @admin.display(description=_("ngày đăng"), ordering="publish_at")
    def publish_date(self, obj):
        return obj.publish_at.strftime("%d/%m/%Y") if obj.publish_at else "—"

    def has_delete_permission(self, request, obj=None):
        return False

    def _bulk(self, request, queryset, service, done_message):
        done = 0
        for article in queryset:
            try:
                service(article=article, acting_user=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{article.title}: {' '.join(exc.messages)}", messages.WARNING
                )
        if done:
            self.message_user(request, done_message.format(n=done), messages.SUCCESS)

    @admin.action(description=_("Đăng ngay các bài đã chọn"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_publish, _("Đã đăng {n} bài."))

    @admin.action(description=_("Lưu trữ các bài đã chọn"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_archive, _("Đã lưu trữ {n} bài."))

    def has_publish_permission(self, request):
        return request.user.has_perm("news.publish_article")


class CategoryAdminForm(ServiceModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "description", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Để trống: làm từ tên, không dấu.")

    def call_service(self, data: dict) -> Category:
        values = {
            "name": data["name"],
            "slug": data.get("slug") or "",
            "description": data.get("description") or "",
            "position": data.get("position") or 0,
        }
        if self.instance.pk:
            return services.category_update(
                category=self.instance, acting_user=self.acting_user, **values
            )
        return services.category_create(acting_user=self.acting_user, **values)


@admin.register(Category)
class CategoryAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["name", "slug", "position"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """Pictures are uploaded from the news desk (cover or editor); here they are only
    looked at."""

    list_display = ["thumbnail", "alt", "width", "height", "uploaded_by", "created_at"]
    readonly_fields = ["thumbnail", "alt", "width", "height", "uploaded_by", "created_at"]
    fields = readonly_fields

    @admin.display(description=_("ảnh"))
    def thumbnail(self, obj):
        return format_html('<img src="{}" alt="{}" width="120">', obj.variant(400), obj.alt)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
