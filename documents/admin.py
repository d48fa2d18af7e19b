"""The admin of the documents: every save is a service call (``accounts.admin.
ServiceModelForm``), so the slug, the search column, the replaced-by rule and the file
checks are exactly those of the staff pages. A file is added with the document's form
("Thêm tệp") and removed by ticking it in the list of files; documents are never
deleted (a replaced one stays, linked to its replacement)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents import services
from documents.forms import FILE_ACCEPT
from documents.models import Attachment, Document
from documents.selectors import search_condition
from news.forms import AreaField
from portal.forms import ServiceAdminMixin, ServiceModelForm


class DocumentAdminForm(ServiceModelForm):
    new_file = forms.FileField(
        label=_("Thêm tệp"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
        help_text=_("PDF hoặc Word (.docx)."),
    )
    # Typed as on the desk (news.forms.AreaField): the admin's id box linked to the
    # areas' admin, which a news editor may not open (403).
    area = AreaField()

    class Meta:
        model = Document
        fields = list(services.DOCUMENT_FIELDS)

    def call_service(self, data: dict) -> Document:
        values = {name: data.get(name) for name in services.DOCUMENT_FIELDS if name in data}
        for name in ("signer", "summary"):
            if values.get(name) is None:
                values[name] = ""
        if self.instance.pk:
            document = services.document_update(
                document=self.instance, acting_user=self.acting_user, **values
            )
        else:
            document = services.document_create(acting_user=self.acting_user, **values)
        if data.get("new_file"):
            services.attachment_add(
                document=document, upload=data["new_file"], acting_user=self.acting_user
            )
        return document

    def add_service_error(self, exc):
        if hasattr(exc, "error_dict") and "file" in exc.error_dict:
            exc.error_dict["new_file"] = exc.error_dict.pop("file")
        super().add_service_error(exc)


class AttachmentInline(admin.TabularInline):
    """The document's files, read-only; ticking "delete" removes one through the
    service (``DocumentAdmin.save_related``)."""

    model = Attachment
    extra = 0
    fields = ["link", "kind", "size", "uploaded_by", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("tệp"))
    def link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = DocumentAdminForm
    inlines = [AttachmentInline]
    list_display = ["__str__", "title", "issued_date", "issuer", "status", "is_published"]
    list_filter = ["doc_type", "status", "is_published"]
    search_fields = ["number"]
    raw_id_fields = ["replaced_by"]
    readonly_fields = ["slug", "published_at", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["doc_type", "number", "issuer", "issued_on", "effective_on"]}),
        (None, {"fields": ["signer", "title", "summary", "area"]}),
        (_("Hiệu lực và đăng"), {"fields": ["status", "replaced_by", "is_published"]}),
        (_("Tệp"), {"fields": ["new_file"]}),
        (
            _("Thông tin khác"),
            {"fields": ["slug", "published_at", "created_by", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def get_search_results(self, request, queryset, search_term):
        # The same search as the public pages: ignores diacritics; type, number, title
        # and summary.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_condition(search_term)), False

    @admin.display(description=_("ngày ban hành"), ordering="issued_on")
    def issued_date(self, obj):
        return obj.issued_on.strftime("%d/%m/%Y")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            for deleted in formset.deleted_forms:
                services.attachment_remove(attachment=deleted.instance, acting_user=request.user)
        super().save_related(request, form, formsets, change)
