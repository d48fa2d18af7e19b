"""Forms of the staff pages of the documents. The rules live in ``documents.services``;
the views hand the services' ``ValidationError`` back to these forms
(``add_service_error``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents import selectors
from documents.choices import DocumentStatus, DocumentType
from documents.files import max_bytes
from documents.services import DOCUMENT_FIELDS
from news.forms import AreaField
from portal.forms import DayField

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_CHOICE = _("Lựa chọn không hợp lệ.")
ERROR_NO_FILE = _("Chưa chọn tệp.")

#: What the file inputs offer (the content is checked anyway: documents.files).
FILE_ACCEPT = (
    ".pdf,.docx,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


def _file_help() -> str:
    return _("PDF hoặc Word (.docx), tối đa {limit} MB.").format(limit=max_bytes() // (1024 * 1024))


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("{document} ngày {day} — {title}").format(
            document=obj, day=obj.issued_on.strftime("%d/%m/%Y"), title=obj.title[:80]
        )


class DocumentForm(forms.Form):
    """What an editor writes about a document, and (for a new one) its first file."""

    doc_type = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=[("", _("— Chọn loại —")), *DocumentType.choices],
        error_messages={"required": ERROR_REQUIRED, "invalid_choice": ERROR_CHOICE},
    )
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=60,
        help_text=_("Như in trên văn bản, ví dụ 267-HD/DVTU."),
        error_messages={"required": ERROR_REQUIRED},
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=200,
        help_text=_("Ví dụ: Ban Dân vận Tỉnh ủy."),
        error_messages={"required": ERROR_REQUIRED},
    )
    issued_on = DayField(label=_("Ngày ban hành"), required=True)
    effective_on = DayField(
        label=_("Ngày có hiệu lực"), help_text=_("Để trống nếu có hiệu lực từ ngày ký.")
    )
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=300,
        help_text=_("Văn bản về việc gì, như dòng trích yếu dưới số hiệu."),
        error_messages={"required": ERROR_REQUIRED},
    )
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    area = AreaField()
    status = forms.ChoiceField(
        label=_("Hiệu lực"),
        choices=DocumentStatus.choices,
        initial=DocumentStatus.IN_FORCE,
        error_messages={"required": ERROR_REQUIRED, "invalid_choice": ERROR_CHOICE},
    )
    replaced_by = DocumentChoiceField(
        label=_("Được thay thế bởi"),
        queryset=None,
        required=False,
        empty_label=_("— Không —"),
        help_text=_("Chỉ chọn khi văn bản đã được thay thế."),
        error_messages={"invalid_choice": ERROR_CHOICE},
    )
    is_published = forms.BooleanField(
        label=_("Đăng công khai"),
        required=False,
        help_text=_("Người đọc thấy văn bản và tải được tệp của nó ở trang Văn bản."),
    )
    file = forms.FileField(
        label=_("Thêm tệp"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )

    def __init__(self, *args, document=None, **kwargs):
        self.document = document
        if document is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "doc_type": document.doc_type,
                "number": document.number,
                "issuer": document.issuer,
                "issued_on": document.issued_on,
                "effective_on": document.effective_on,
                "signer": document.signer,
                "title": document.title,
                "summary": document.summary,
                "area": (document.area.code or document.area.name) if document.area else "",
                "status": document.status,
                "replaced_by": document.replaced_by_id,
                "is_published": document.is_published,
            }
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = selectors.replacement_choices(document)
        if document is None:
            self.fields["file"].help_text = _file_help()
        else:
            # An existing document's files are added and removed beside the form.
            del self.fields["file"]
        for name in ("issued_on", "effective_on"):
            self.fields[name].widget.format = "%d/%m/%Y"
        if document is not None and document.area_id:
            self.fields["area"].help_text = _("Hiện tại: {name}. ").format(
                name=document.area.name
            ) + str(self.fields["area"].help_text)

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in DOCUMENT_FIELDS}


class AttachmentForm(forms.Form):
    """One more file for a document."""

    file = forms.FileField(
        label=_("Tệp"),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
        error_messages={"required": ERROR_NO_FILE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
