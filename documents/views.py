"""Public documents pages (/van-ban/) and their staff pages (/can-bo/van-ban/).

Public pages build their database part through ``news.cache.cached_page`` (the public
pages' version, which every document write bumps too); unknown and unpublished
documents answer the portal's Vietnamese 404, except to staff who keep the documents,
who see a draft at its future address with a banner, never cached. Files are served
by ``attachment_download`` only, with the document's publication as the gate. Staff
pages need a documents permission; every write calls ``documents.services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from documents import files, selectors, services
from documents.filtersets import PublicDocumentFilterSet, StaffDocumentFilterSet
from documents.forms import AttachmentForm, DocumentForm
from news.cache import cached_page, pages_version
from news.views import DeskMixin as NewsDeskMixin
from portal.forms import add_service_error
from portal.http_cache import LIST_MAX_AGE, PAGE_MAX_AGE, public_cache

PAGE_SIZE = 20
STAFF_PAGE_SIZE = 25
#: Query parameters of the public list, each cut to this length before use.
LIST_PARAMETERS = ("q", "doc_type", "issuer", "year", "area")
PARAMETER_MAX = 200
#: Browsers and proxies may keep a published document's file this long (seconds); an
#: unpublished document's files are gone from the portal at once, from caches after it.
FILE_MAX_AGE = 3600

MSG_SAVED = _("Đã lưu văn bản “{document}”.")
MSG_FILE_ADDED = _("Đã thêm tệp “{name}”.")
MSG_FILE_REMOVED = _("Đã gỡ tệp “{name}”.")


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not value.isdigit() or not 0 < int(value) < 100_000:
        raise Http404
    return int(value)


# --- Public pages --------------------------------------------------------------------------


@method_decorator(public_cache(LIST_MAX_AGE, pages_version), name="dispatch")
class DocumentListView(View):
    """/van-ban/: published documents, newest issued first, 20 a page; search ignoring
    diacritics (``?q=huong dan 267``) and filters by type, issuer, year and area."""

    template_name = "documents/document_list.html"

    def get(self, request):
        params = {
            name: request.GET.get(name, "").strip()[:PARAMETER_MAX]
            for name in LIST_PARAMETERS
            if request.GET.get(name, "").strip()
        }
        number = _page_number(request)

        def build():
            filterset = PublicDocumentFilterSet(params, queryset=selectors.public_documents())
            paginator = Paginator(filterset.qs, PAGE_SIZE)
            try:
                page = paginator.page(number)
            except InvalidPage:
                return {"missing": True}
            context = {
                "filterset": filterset,
                "page": page,
                "documents": page.object_list,
                "filtered": bool(params),
                # The filters again on the links to the other pages.
                "query_string": urlencode(params),
            }
            return {
                "missing": False,
                "main": render_to_string("documents/_list_main.html", context),
            }

        # The language is part of the key: the fragment holds translated words.
        parts = (get_language(), sorted(params.items()), number)
        data = cached_page("documents-list", parts, build, request=request)
        if data["missing"]:
            raise Http404
        return render(
            request,
            self.template_name,
            {
                "main": mark_safe(data["main"]),  # noqa: S308 (our template's output)
                "filtered": bool(params),
                "page_number": number,
                "can_edit": services.can_edit(request.user),
            },
        )


def _detail_page(request, document, *, preview=False) -> dict:
    """The rendered part of a document's page (no user data, no CSRF token: cacheable)
    and what the page around it needs."""
    context = {
        "document": document,
        "attachments": list(document.attachments.all()),
        "replaced": selectors.replaced_documents(document),
        "replacement_public": bool(document.replaced_by and document.replaced_by.is_published),
        "canonical_url": request.build_absolute_uri(document.get_absolute_url()),
        "preview": preview,
    }
    return {
        "main": render_to_string("documents/_detail_main.html", context),
        "title": str(document),
        "description": document.title,
        "canonical_url": context["canonical_url"],
    }


@method_decorator(public_cache(PAGE_MAX_AGE, pages_version), name="dispatch")
class DocumentDetailView(View):
    """/van-ban/<slug>/ (or /van-ban/<id>/, sent on to the slug): one published
    document with its files, or the portal's 404."""

    template_name = "documents/document_detail.html"

    def get(self, request, key: str):
        if selectors.can_view_drafts(request.user):
            return self._staff(request, key)

        def build():
            document = selectors.public_document(key)
            if document is None:
                return {"missing": True}
            if key != document.slug:
                return {"missing": False, "redirect": document.get_absolute_url()}
            return {"missing": False, **_detail_page(request, document)}

        parts = (get_language(), request.scheme, request.get_host(), key)
        data = cached_page("documents-detail", parts, build, request=request)
        if data["missing"]:
            raise Http404
        if "redirect" in data:
            return redirect(data["redirect"], permanent=True)
        return render(request, self.template_name, {**data, "main": mark_safe(data["main"])})  # noqa: S308

    def _staff(self, request, key: str):
        """Staff who keep the documents: any document, live (not cached); a draft with
        the preview banner and not indexed."""
        document = selectors.document_for_reader(request.user, key)
        if document is None:
            raise Http404
        if key != document.slug:
            return redirect(document.get_absolute_url())
        preview = not document.is_published
        page = _detail_page(request, document, preview=preview)
        response = render(
            request,
            self.template_name,
            {**page, "main": mark_safe(page["main"]), "preview": preview, "document": document},  # noqa: S308
        )
        if preview:
            response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response


@require_safe
def attachment_download(request, key: str, pk: int):
    """A document's file: of a published document for everyone (browsers may keep it an
    hour), of a draft only for staff who keep the documents (never cached); the real
    content type and a safe download name (``documents.files.content_disposition``)."""
    attachment = selectors.public_attachment(key=key, pk=pk, user=request.user)
    if attachment is None:
        raise Http404
    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=files.CONTENT_TYPES[attachment.kind])
    response["Content-Disposition"] = files.content_disposition(
        attachment.name, fallback=attachment.document.slug, kind=attachment.kind
    )
    if attachment.document.is_published:
        response["Cache-Control"] = f"public, max-age={FILE_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


# --- Staff pages ---------------------------------------------------------------------------


class DeskMixin(NewsDeskMixin):
    """Logged in, with the documents permission of the page (a news editor or a system
    administrator); anyone else logged in gets 403 (as on the news desk)."""

    permission_required = "documents.view_document"

    def get_document(self):
        document = selectors.document_for_staff(self.request.user, self.kwargs["pk"])
        if document is None:
            raise Http404
        return document


@method_decorator(never_cache, name="dispatch")
class StaffListView(DeskMixin, ListView):
    """/can-bo/van-ban/: every document, most recently changed first, with filters."""

    template_name = "documents/staff/document_list.html"
    paginate_by = STAFF_PAGE_SIZE

    def get_queryset(self):
        self.filterset = StaffDocumentFilterSet(
            self.request.GET, queryset=selectors.documents_for_staff(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filterset=self.filterset, can_add=self.request.user.has_perm("documents.add_document")
        )
        return context


@method_decorator(never_cache, name="dispatch")
class DocumentFormView(DeskMixin, TemplateView):
    """A new document (/can-bo/van-ban/them/) or an existing one
    (/can-bo/van-ban/<pk>/sua/): its details, its files, its revisions."""

    template_name = "documents/staff/document_form.html"

    def get_permission_required(self):
        return ["documents.change_document" if "pk" in self.kwargs else "documents.add_document"]

    def dispatch(self, request, *args, **kwargs):
        self.document = None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, *, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.document is None and "pk" in self.kwargs:
            self.document = self.get_document()
        document = self.document
        user = self.request.user
        context.update(
            document=document,
            form=form or DocumentForm(document=document),
            attachment_form=AttachmentForm(),
            attachments=list(document.attachments.all()) if document else [],
            revisions=selectors.document_revisions(document) if document else [],
            can_attach=user.has_perm("documents.add_attachment"),
            can_remove=user.has_perm("documents.delete_attachment"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "pk" in self.kwargs:
            self.document = self.get_document()
        form = DocumentForm(request.POST, request.FILES, document=self.document)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                # The document and its first file together: a refused file saves nothing.
                with transaction.atomic():
                    if self.document is None:
                        document = services.document_create(
                            acting_user=request.user, **form.service_arguments()
                        )
                    else:
                        document = services.document_update(
                            document=self.document,
                            acting_user=request.user,
                            **form.service_arguments(),
                        )
                    if upload:
                        services.attachment_add(
                            document=document, upload=upload, acting_user=request.user
                        )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, MSG_SAVED.format(document=document))
                return redirect("documents:edit", pk=document.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AttachmentAddView(DeskMixin, View):
    """POST a file for a document; back to its page with a message."""

    permission_required = "documents.add_attachment"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        document = self.get_document()
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("documents:edit", pk=document.pk)
        try:
            attachment = services.attachment_add(
                document=document, upload=form.cleaned_data["file"], acting_user=request.user
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, MSG_FILE_ADDED.format(name=attachment.name))
        return redirect("documents:edit", pk=document.pk)


class AttachmentRemoveView(DeskMixin, View):
    """POST: remove one file of a document; back to its page with a message."""

    permission_required = "documents.delete_attachment"
    http_method_names = ["post"]

    def post(self, request, pk: int, attachment_pk: int):
        document = self.get_document()
        attachment = next((a for a in document.attachments.all() if a.pk == attachment_pk), None)
        if attachment is None:
            raise Http404
        services.attachment_remove(attachment=attachment, acting_user=request.user)
        messages.success(request, MSG_FILE_REMOVED.format(name=attachment.name))
        return redirect("documents:edit", pk=document.pk)
