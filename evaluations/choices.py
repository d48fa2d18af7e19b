"""Choices and defaults for criteria and ratings."""

from decimal import Decimal

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What a criteria set rates."""

    BLOC = "bloc", _("Khối dân vận")
    TEAM = "team", _("Tổ dân vận")
    MEMBER = "member", _("Thành viên")


class Stage(models.TextChoices):
    """Where a rating stands. Each step is kept with who and when; a return sends the
    rating one step back with a comment."""

    SELF = "self", _("Đơn vị tự đánh giá")
    PROPOSAL = "proposal", _("Đảng ủy xã đề xuất")
    DECISION = "decision", _("Chờ cấp trên quyết định")
    DECIDED = "decided", _("Đã quyết định")
    NOT_RATED = "not_rated", _("Không xếp loại")


#: Stages after which a rating is locked (only provincial staff reopen it).
LOCKED_STAGES = (Stage.DECIDED, Stage.NOT_RATED)


class ScoreStage(models.TextChoices):
    """Whose scores a score row holds."""

    SELF = "self", _("Tự đánh giá")
    PROPOSAL = "proposal", _("Đề xuất")
    DECISION = "decision", _("Quyết định")


class StepAction(models.TextChoices):
    """What one step on a unit's rating did (its history, ``EvaluationStep``)."""

    START = "start", _("Mở phiếu tự đánh giá")
    SELF_DRAFT = "self_draft", _("Lưu nháp tự đánh giá")
    SELF = "self", _("Gửi tự đánh giá")
    PROPOSAL_DRAFT = "prop_draft", _("Lưu nháp đề xuất")
    PROPOSAL = "proposal", _("Gửi đề xuất")
    APPROVE = "approve", _("Phê duyệt như đề xuất")
    ADJUST = "adjust", _("Điều chỉnh và quyết định")
    RETURN = "return", _("Trả lại")
    NOT_RATED = "not_rated", _("Không xếp loại")
    REOPEN = "reopen", _("Mở lại")
    EVIDENCE = "evidence", _("Thay đổi minh chứng")


#: The rating scale of Quy định 366-QĐ/TW (2025): total out of 100, four levels.
#: (level, label, minimum total)
DEFAULT_SCALE = [
    (1, "Hoàn thành xuất sắc nhiệm vụ", Decimal("90")),
    (2, "Hoàn thành tốt nhiệm vụ", Decimal("70")),
    (3, "Hoàn thành nhiệm vụ", Decimal("50")),
    (4, "Không hoàn thành nhiệm vụ", Decimal("0")),
]

LEVELS = (1, 2, 3, 4)


def _level_label(level: int) -> str:
    return gettext("Mức %(level)s") % {"level": level}


#: "Mức 2", translated when shown: a lazy string's ``%`` would fix the language at import.
level_label = lazy(_level_label, str)

#: The years a rating page or a criteria set may name.
YEAR_MIN, YEAR_MAX = 2000, 2100


class Measure(models.TextChoices):
    """What a quantitative item counts in the rated unit's daily-work records over the
    rating's period (evaluations.measures)."""

    ACTIVITIES = "activities", _("Số hoạt động")
    PARTICIPANTS = "participants", _("Số lượt người tham gia hoạt động")
    PEOPLE_REACHED = "people_reached", _("Số lượt người dân được tiếp cận")
    OPINIONS_ON_TIME = "opinions_on_time", _("Số ý kiến trả lời trong hạn")
    OPINIONS_RECEIVED = "opinions_received", _("Số ý kiến tiếp nhận")
    HOT_SPOTS = "hot_spots", _("Số điểm nóng phát sinh")


#: The measures read from activities (the only ones an activity kind narrows).
ACTIVITY_MEASURES = (Measure.ACTIVITIES, Measure.PARTICIPANTS, Measure.PEOPLE_REACHED)


class GateRule(models.TextChoices):
    """A gate condition answered from the record instead of by a person."""

    HOT_SPOT = "hot_spot", _("Tự động: có điểm nóng phát sinh trong kỳ")
