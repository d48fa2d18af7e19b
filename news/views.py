"""Public news pages (/tin-tuc/) and the news desk (/can-bo/tin-tuc/).

Public pages build their database part through ``news.cache.cached_page``; unknown,
unpublished and archived articles answer the portal's Vietnamese 404. Desk pages need
a news permission; every write calls ``news.services``.
"""

import mimetypes
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from news import selectors, services
from news.cache import cached_page, pages_version
from news.choices import ArticleStatus
from news.filtersets import ArticleFilterSet
from news.forms import ArticleForm, ImageUploadForm, ScheduleForm
from portal.forms import add_service_error
from portal.http_cache import LIST_MAX_AGE, PAGE_MAX_AGE, public_cache

PAGE_SIZE = 12
STAFF_PAGE_SIZE = 25
MAX_QUERY_LENGTH = selectors.MAX_QUERY_LENGTH

MSG_SAVED = _("Đã lưu bài “{title}”.")
MSG_PUBLISHED = _("Đã đăng bài “{title}”.")
MSG_SCHEDULED = _("Bài “{title}” sẽ tự động đăng lúc {when}.")
MSG_UNSCHEDULED = _("Đã hủy hẹn giờ; bài “{title}” trở về bản nháp.")
MSG_ARCHIVED = _("Đã lưu trữ bài “{title}”: bài không còn trên trang công khai.")
ERROR_UPLOAD_NOT_ALLOWED = _("Tài khoản của bạn không được tải ảnh lên.")
ERROR_UPLOAD_LOGIN = _("Phiên đăng nhập đã hết: hãy đăng nhập lại rồi tải ảnh lên.")

#: Words of the editor's interface (static/news/editor.js), translated here.
EDITOR_MESSAGES = {
    "toolbar": _("Định dạng nội dung"),
    "bold": _("Chữ đậm"),
    "italic": _("Chữ nghiêng"),
    "underline": _("Gạch chân"),
    "strike": _("Gạch ngang"),
    "blockquote": _("Trích dẫn"),
    "ordered": _("Danh sách đánh số"),
    "bullet": _("Danh sách gạch đầu dòng"),
    "link": _("Chèn liên kết"),
    "image": _("Chèn ảnh"),
    "clean": _("Bỏ định dạng"),
    "header": _("Kiểu đoạn"),
    "level2": _("Tiêu đề mục"),
    "level3": _("Tiêu đề nhỏ"),
    "level4": _("Tiêu đề nhỏ hơn"),
    "level": _("Đoạn văn"),
    "linkAddress": _("Địa chỉ liên kết"),
    "noFile": _("Chưa chọn tệp ảnh."),
    "noAlt": _("Cần nhập mô tả ảnh (cho người không nhìn thấy ảnh)."),
    "uploading": _("Đang tải ảnh lên…"),
    "badAnswer": _("Máy chủ không trả lời như mong đợi"),
    "failed": _("Không tải được ảnh lên."),
    "inserted": _("Đã chèn ảnh vào bài. Bấm “Lưu” để lưu bài."),
    "offline": _("Mất kết nối khi tải ảnh lên: hãy thử lại."),
}


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not value.isdigit() or not 0 < int(value) < 100_000:
        raise Http404
    return int(value)


# --- Public pages --------------------------------------------------------------------------


@method_decorator(public_cache(LIST_MAX_AGE, pages_version), name="dispatch")
class ArticleListView(View):
    """/tin-tuc/ and /tin-tuc/chuyen-muc/<slug>/: newest first, 12 a page, search
    ignoring diacritics (?q=)."""

    template_name = "news/article_list.html"

    def get(self, request, slug: str | None = None):
        category = None
        if slug is not None:
            category = selectors.category_by_slug(slug)
            if category is None:
                raise Http404
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        number = _page_number(request)

        def build():
            paginator = Paginator(
                selectors.public_articles(category=category, query=query), PAGE_SIZE
            )
            try:
                page = paginator.page(number)
            except InvalidPage:
                return {"missing": True}
            context = {
                "page": page,
                "articles": page.object_list,
                "category": category,
                "categories": selectors.categories_in_use(),
                "query": query,
            }
            return {"missing": False, "main": render_to_string("news/_list_main.html", context)}

        data = cached_page(
            "list", (category.pk if category else None, query, number), build, request=request
        )
        if data["missing"]:
            raise Http404
        return render(
            request,
            self.template_name,
            {
                "main": mark_safe(data["main"]),  # noqa: S308 (our template's output)
                "category": category,
                "query": query,
                "page_number": number,
            },
        )


def _article_context(request, article, *, related=None, preview=False) -> dict:
    canonical = request.build_absolute_uri(article.get_absolute_url())
    cover_url = ""
    if article.cover_id and article.cover:
        cover_url = request.build_absolute_uri(article.cover.variant(1200))
    return {
        "article": article,
        "related": related or [],
        "canonical_url": canonical,
        "cover_url": cover_url,
        "preview": preview,
        "portal_name": settings.DANVAN_PORTAL_NAME,
    }


@method_decorator(public_cache(PAGE_MAX_AGE, pages_version), name="dispatch")
class ArticleDetailView(View):
    """/tin-tuc/<slug>/: a public article, or the portal's 404."""

    template_name = "news/article_detail.html"

    def get(self, request, slug: str):
        def build():
            article = selectors.public_article(slug=slug)
            if article is None:
                return {"missing": True}
            context = _article_context(
                request, article, related=selectors.related_articles(article)
            )
            return {
                "missing": False,
                "main": render_to_string("news/_article.html", context),
                "head": render_to_string("news/_article_head.html", context),
                "title": article.title,
                "description": article.summary,
            }

        data = cached_page(
            "article", (request.scheme, request.get_host(), slug), build, request=request
        )
        if data["missing"]:
            raise Http404
        return render(request, self.template_name, _page_context(data))


def _page_context(data: dict, **extra) -> dict:
    return {
        "main": mark_safe(data["main"]),  # noqa: S308 (our template's output)
        "head": mark_safe(data["head"]),  # noqa: S308
        "title": data["title"],
        "description": data["description"],
        **extra,
    }


MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


def media(request, path: str):
    """The news pictures under ``news/`` of the media storage (the local MEDIA_ROOT or
    the bucket, portal/storage.py), and nothing else of it: evidence files of ratings
    live there too and are never public. Names are random and never reused, so browsers
    may keep them a year."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in MEDIA_TYPES or ".." in path.split("/") or path.startswith("/"):
        raise Http404
    try:
        handle = default_storage.open(f"news/{path}", "rb")
    except (OSError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=MEDIA_TYPES[extension])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


mimetypes.add_type("image/webp", ".webp")


# --- The news desk -------------------------------------------------------------------------


class DeskMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in, with the news permission of the page (a news editor or a system
    administrator); anyone else logged in gets 403."""

    permission_required = "news.view_article"
    raise_exception = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def get_article(self):
        article = selectors.article_for_staff(self.request.user, self.kwargs["pk"])
        if article is None:
            raise Http404
        return article


@method_decorator(never_cache, name="dispatch")
class DeskListView(DeskMixin, ListView):
    """/can-bo/tin-tuc/: every article, most recently changed first, with filters."""

    template_name = "news/staff/article_list.html"
    paginate_by = STAFF_PAGE_SIZE

    def get_queryset(self):
        self.filterset = ArticleFilterSet(
            self.request.GET, queryset=selectors.articles_for_staff(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filterset=self.filterset,
            can_add=self.request.user.has_perm("news.add_article"),
            now=timezone.now(),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class ArticleFormView(DeskMixin, TemplateView):
    """Write a new article (/can-bo/tin-tuc/viet-bai/) or edit one
    (/can-bo/tin-tuc/<pk>/sua/), with the publish / schedule / archive panel."""

    template_name = "news/staff/article_form.html"

    def get_permission_required(self):
        return ["news.change_article" if "pk" in self.kwargs else "news.add_article"]

    def dispatch(self, request, *args, **kwargs):
        self.article = None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, *, form=None, schedule_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.article
        if article is None and "pk" in self.kwargs:
            article = self.article = self.get_article()
        now = timezone.now()
        initial_schedule = {}
        if article is not None and article.status == ArticleStatus.SCHEDULED:
            local = timezone.localtime(article.publish_at)
            initial_schedule = {"day": local.date(), "time": local.time().replace(second=0)}
        context.update(
            article=article,
            form=form or ArticleForm(article=article),
            schedule_form=schedule_form or ScheduleForm(initial=initial_schedule),
            can_publish=services.can_publish(self.request.user),
            editor_messages={key: str(value) for key, value in EDITOR_MESSAGES.items()},
            is_public=article.is_public(now) if article else False,
            now=now,
        )
        return context

    def post(self, request, *args, **kwargs):
        if "pk" in self.kwargs:
            self.article = self.get_article()
        form = ArticleForm(request.POST, request.FILES, article=self.article)
        if form.is_valid():
            try:
                if self.article is None:
                    article = services.article_create(
                        acting_user=request.user, **form.service_arguments()
                    )
                else:
                    article = services.article_update(
                        article=self.article,
                        acting_user=request.user,
                        remove_cover=form.cleaned_data.get("remove_cover", False),
                        **form.service_arguments(),
                    )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, MSG_SAVED.format(title=article.title))
                if request.POST.get("next") == "preview":
                    return redirect("news:preview", pk=article.pk)
                return redirect("news:edit", pk=article.pk)
        return self.render_to_response(self.get_context_data(form=form))


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(DeskMixin, View):
    """The article exactly as the public page will show it, with a "Bản xem trước"
    banner; never public, never cached, not indexed."""

    def get(self, request, pk: int):
        article = self.get_article()
        context = _article_context(
            request, article, related=selectors.related_articles(article), preview=True
        )
        data = {
            "main": render_to_string("news/_article.html", context),
            "head": "",
            "title": article.title,
            "description": article.summary,
        }
        response = render(
            request,
            "news/article_detail.html",
            _page_context(data, preview=True, article=article, revision=None),
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ArticleActionView(DeskMixin, View):
    """POST: publish now, schedule, cancel the schedule or archive; back to the edit
    page with a message."""

    permission_required = "news.publish_article"
    http_method_names = ["post"]
    action = ""

    def post(self, request, pk: int):
        article = self.get_article()
        user = request.user
        try:
            if self.action == "publish":
                article = services.article_publish(article=article, acting_user=user)
                message = MSG_PUBLISHED.format(title=article.title)
            elif self.action == "schedule":
                form = ScheduleForm(request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, error)
                    return redirect("news:edit", pk=article.pk)
                article = services.article_schedule(
                    article=article, publish_at=form.publish_at(), acting_user=user
                )
                when = timezone.localtime(article.publish_at).strftime("%H:%M %d/%m/%Y")
                message = MSG_SCHEDULED.format(title=article.title, when=when)
            elif self.action == "unschedule":
                article = services.article_unschedule(article=article, acting_user=user)
                message = MSG_UNSCHEDULED.format(title=article.title)
            else:
                article = services.article_archive(article=article, acting_user=user)
                message = MSG_ARCHIVED.format(title=article.title)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, message)
        return redirect("news:edit", pk=article.pk)


@method_decorator(never_cache, name="dispatch")
class RevisionListView(DeskMixin, TemplateView):
    """Every saved state of an article (the audit trail): who, when, what changed."""

    template_name = "news/staff/revisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.get_article()
        context.update(article=article, revisions=selectors.article_revisions(article))
        return context


@method_decorator(never_cache, name="dispatch")
class RevisionDetailView(DeskMixin, View):
    """One saved state of an article, shown as its page would have looked."""

    def get(self, request, pk: int, history_id: int):
        article = self.get_article()
        row = selectors.article_revision(article, history_id)
        if row is None:
            raise Http404
        state = row.instance
        context = _article_context(request, state, preview=True)
        data = {
            "main": render_to_string("news/_article.html", context),
            "head": "",
            "title": state.title,
            "description": state.summary,
        }
        response = render(
            request,
            "news/article_detail.html",
            _page_context(data, preview=True, article=article, revision=row),
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _json_error(message, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_POST
@never_cache
def image_upload(request):
    """POST from the editor (multipart: ``file``, ``alt``, ``caption``; CSRF token in
    the X-CSRFToken header): store the picture with its resized copies and answer what
    the editor inserts, or a Vietnamese error (JSON ``{"error": ...}``)."""
    user = request.user
    if not user.is_authenticated:
        return _json_error(ERROR_UPLOAD_LOGIN, 403)
    if not (user.has_perm("news.add_article") or user.has_perm("news.change_article")):
        return _json_error(ERROR_UPLOAD_NOT_ALLOWED, 403)
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _json_error(first, 400)
    try:
        image = services.image_create(
            upload=form.cleaned_data["file"], alt=form.cleaned_data["alt"], acting_user=user
        )
    except ValidationError as exc:
        return _json_error(exc.messages[0], 400)
    except PermissionDenied:
        return _json_error(ERROR_UPLOAD_NOT_ALLOWED, 403)
    return JsonResponse(
        {
            "id": image.pk,
            "src": image.url,
            "alt": image.alt,
            "caption": form.cleaned_data["caption"],
            "width": image.width,
            "height": image.height,
        },
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )


def home_latest_html(limit: int = 5, *, request=None) -> str:
    """The home page's "latest news" block, rendered and cached like the news pages."""

    def build():
        articles = selectors.latest_articles(limit=limit)
        return {"main": render_to_string("news/_home_latest.html", {"articles": articles})}

    return mark_safe(cached_page("home", (limit,), build, request=request)["main"])  # noqa: S308 (our template)
