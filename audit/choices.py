"""What a personal-data export record says was exported."""

from django.utils.translation import gettext_lazy as _

#: What was exported (``ExportRecord.what``), with its label on the exports page.
EXPORT_ROSTER = "roster"
EXPORT_ROSTER_SELECTED = "roster_selected"
#: A person's own data, given on their request (members.subject_access).
EXPORT_SUBJECT_ACCESS = "subject_access"
EXPORT_LABELS = {
    EXPORT_ROSTER: _("Danh sách thành viên (theo bộ lọc)"),
    EXPORT_ROSTER_SELECTED: _("Danh sách thành viên (các dòng đã chọn)"),
    EXPORT_SUBJECT_ACCESS: _("Yêu cầu của chủ thể dữ liệu: toàn bộ dữ liệu về một người"),
}
