"""Choices of the "Dân vận khéo" models: their fields, the steps of their cycle and the
level of the committee that recognises them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemplarField(models.TextChoices):
    ECONOMY = "economy", _("Kinh tế")
    CULTURE_SOCIETY = "culture", _("Văn hóa - xã hội")
    DEFENCE_SECURITY = "defence", _("Quốc phòng - an ninh")
    PARTY_BUILDING = "party", _("Xây dựng Đảng và hệ thống chính trị")


class ExemplarStatus(models.TextChoices):
    REGISTERED = "registered", _("Đăng ký")
    IMPLEMENTING = "implementing", _("Đang thực hiện")
    REVIEWED = "reviewed", _("Đã thẩm định")
    RECOGNISED = "recognised", _("Được công nhận")
    TYPICAL = "typical", _("Tiêu biểu")
    NOT_RECOGNISED = "rejected", _("Không được công nhận")


class OwnerKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    PERSON = "person", _("Cá nhân")


class DecisionLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")


#: Models the public gallery shows and the statistics count as recognised.
PUBLIC_STATUSES = (ExemplarStatus.RECOGNISED, ExemplarStatus.TYPICAL)


class Step(models.TextChoices):
    """The steps staff take on a model's page (the URL's slug), in the cycle's order."""

    START = "trien-khai", _("Bắt đầu thực hiện")
    REVIEW = "tham-dinh", _("Ghi kết quả thẩm định")
    RECOGNISE = "cong-nhan", _("Ghi quyết định công nhận")
    REJECT = "khong-cong-nhan", _("Không công nhận")
    TYPICAL = "tieu-bieu", _("Công nhận tiêu biểu")


#: From which status each step may be taken.
STEP_FROM = {
    Step.START: (ExemplarStatus.REGISTERED,),
    Step.REVIEW: (ExemplarStatus.IMPLEMENTING,),
    Step.RECOGNISE: (ExemplarStatus.REVIEWED,),
    Step.REJECT: (ExemplarStatus.REVIEWED,),
    Step.TYPICAL: (ExemplarStatus.RECOGNISED,),
}
