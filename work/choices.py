"""Choices of the teams' daily work: kinds of activity, the channels and topics of
citizens' opinions, the steps an opinion goes through, hot-spot severities and the
staff queues."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Days an opinion may wait for an answer before it is overdue, unless the province set
#: its own number (``work.models.ProvinceWorkSettings``).
DEFAULT_OVERDUE_DAYS = 15
OVERDUE_DAYS_MIN, OVERDUE_DAYS_MAX = 1, 365


class ActivityKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("Buổi tuyên truyền")
    MEETING = "meeting", _("Gặp gỡ, đối thoại với nhân dân")
    HOME_VISIT = "home_visit", _("Đến thăm, vận động hộ gia đình")
    MEDIATION = "mediation", _("Hòa giải")
    WORK_DAYS = "work_days", _("Ra quân ngày công")
    OTHER = "other", _("Hoạt động khác")


#: The words the activities workbook writes for each kind (docs/WORK.md: the layout is a
#: format, never translated). The import also accepts the kinds' labels and ALIASES.
ACTIVITY_KIND_WORDS = {
    ActivityKind.PROPAGANDA: "Tuyên truyền",
    ActivityKind.MEETING: "Gặp gỡ nhân dân",
    ActivityKind.HOME_VISIT: "Thăm hộ gia đình",
    ActivityKind.MEDIATION: "Hòa giải",
    ActivityKind.WORK_DAYS: "Ngày công",
    ActivityKind.OTHER: "Khác",
}
ACTIVITY_KIND_ALIASES = {
    "tuyen truyen": ActivityKind.PROPAGANDA,
    "buoi tuyen truyen": ActivityKind.PROPAGANDA,
    "hop dan": ActivityKind.MEETING,
    "gap go": ActivityKind.MEETING,
    "doi thoai": ActivityKind.MEETING,
    "gap go, doi thoai voi nhan dan": ActivityKind.MEETING,
    "tham ho": ActivityKind.HOME_VISIT,
    "tham ho gia dinh": ActivityKind.HOME_VISIT,
    "den tham, van dong ho gia dinh": ActivityKind.HOME_VISIT,
    "hoa giai": ActivityKind.MEDIATION,
    "ngay cong": ActivityKind.WORK_DAYS,
    "ra quan ngay cong": ActivityKind.WORK_DAYS,
    "khac": ActivityKind.OTHER,
    "hoat dong khac": ActivityKind.OTHER,
}


class OpinionChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại")
    ZALO = "zalo", _("Zalo")
    MEETING = "meeting", _("Hội nghị, họp dân")
    OTHER = "other", _("Khác")


class OpinionTopic(models.TextChoices):
    LAND = "land", _("Đất đai")
    ENVIRONMENT = "environment", _("Môi trường")
    POLICY = "policy", _("Chế độ, chính sách")
    SECURITY = "security", _("An ninh, trật tự")
    INFRASTRUCTURE = "infrastructure", _("Hạ tầng: điện, đường, trường, trạm")
    OTHER = "other", _("Khác")


class OpinionStatus(models.TextChoices):
    """The steps of an opinion, in order. Closing needs an answer: the point of the
    record is that the citizen gets one (docs/WORK.md)."""

    NEW = "new", _("Mới tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển, chờ trả lời")
    ANSWERED = "answered", _("Đã có trả lời")
    RETURNED = "returned", _("Đã thông tin lại cho người dân")
    CLOSED = "closed", _("Đã kết thúc")


#: Statuses in which the opinion has no answer yet (and can be overdue).
UNANSWERED = (OpinionStatus.NEW, OpinionStatus.FORWARDED)


class Severity(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


class Queue(models.TextChoices):
    """The staff queues of opinions (their URL slugs): what waits for someone."""

    NEW = "moi", _("Ý kiến mới tiếp nhận")
    FORWARDED = "cho-tra-loi", _("Đã chuyển, chờ trả lời")
    OVERDUE = "qua-han", _("Quá hạn trả lời")
    HOT_SPOTS = "diem-nong", _("Điểm nóng đang theo dõi")
