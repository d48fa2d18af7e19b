"""Criteria issued by a province each year, and the ratings of units and members.

A criteria set belongs to one province, year and subject (bloc, team or member); it has
groups of scored items, yes/no gate conditions that cap the best reachable level, a
rating scale and an optional quota. Once a rating uses a set, the set is frozen: a change
makes a new version, so every rating keeps the criteria it was scored against.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.chain_models import ApprovalChain  # noqa: F401  (registered with the app)
from evaluations.choices import (
    LEVELS,
    LOCKED_STAGES,
    GateRule,
    Measure,
    ScoreStage,
    Stage,
    StepAction,
    Subject,
)
from evaluations.periods import YEAR, period_key, period_label
from evaluations.thresholds import check_quantitative, parse_thresholds
from members.models import Membership
from portal.audit import AuditedHistory, Door, current_batch_id, current_door
from portal.paths import PathField
from units.models import Area, Unit
from work.choices import ActivityKind

LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]


class InPeriod:
    """What has a ``year`` and a ``period`` code names its period (evaluations.periods)."""

    @property
    def period_key(self) -> str:
        return period_key(self.year, self.period)

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period)


class CriteriaSet(InPeriod, models.Model):
    """The criteria a province issues for one subject and year (one version of them)."""

    province = models.ForeignKey(
        Area, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # "" the whole year, "Q1"…"Q4" a quarter, "T2030" the term ending in 2030
    # (evaluations.periods); the sets made before periods existed are yearly.
    period = models.CharField(_("kỳ đánh giá"), max_length=6, blank=True, default="")
    subject = models.CharField(_("đối tượng"), max_length=8, choices=Subject.choices)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tên bộ tiêu chí"), max_length=250)
    issued = models.BooleanField(_("đã ban hành"), default=False)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    quota_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ tối đa mức 1 (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Để trống nếu không giới hạn."),
    )
    # The rating round: its opening day and each step's deadline. A step taken after its
    # deadline stays possible and is marked late (evaluations.rounds).
    opens_on = models.DateField(_("ngày mở đợt đánh giá"), null=True, blank=True)
    self_due = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    proposal_due = models.DateField(_("hạn đề xuất"), null=True, blank=True)
    decision_due = models.DateField(_("hạn quyết định"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # Issuing, quota and title changes; the criteria themselves are frozen once used.
    history = AuditedHistory(kind="criteria_set")

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["province", "-year", "period", "subject", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "period", "subject", "version"],
                name="%(app_label)s_%(class)s_unique_version",
            ),
        ]
        permissions = [
            ("manage_criteria", _("Ban hành bộ tiêu chí của tỉnh")),
            ("self_assess", _("Nhập tự đánh giá của đơn vị")),
            ("propose", _("Nhập đề xuất của Đảng ủy xã")),
            ("decide", _("Quyết định xếp loại")),
            ("reopen", _("Mở lại xếp loại đã khóa")),
        ]

    def __str__(self):
        return f"{self.title} ({period_key(self.year, self.period)}, v{self.version})"

    @property
    def max_total(self) -> Decimal:
        return sum((i.max_score for g in self.groups.all() for i in g.items.all()), Decimal(0))


class CriteriaGroup(models.Model):
    """A group of criteria ("Nhóm 1: Tiêu chí chung")."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("mã nhóm"), max_length=10)
    title = models.CharField(_("tên nhóm"), max_length=250)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class CriterionItem(models.Model):
    """One scored criterion with its maximum and guidance for the scorer."""

    group = models.ForeignKey(
        CriteriaGroup, verbose_name=_("nhóm"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("mã tiêu chí"), max_length=10)
    text = models.CharField(_("nội dung"), max_length=500)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    max_score = models.DecimalField(
        _("điểm tối đa"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # A quantitative item (docs/RATINGS.md, "Criteria scored from the record"): the
    # count of the rated unit's records over the period, mapped to points by the
    # thresholds ("12: 10; 6: 5", evaluations.thresholds). Empty: scored by people.
    measure = models.CharField(
        _("tính từ sổ theo dõi"), max_length=20, choices=Measure.choices, blank=True
    )
    activity_kind = models.CharField(
        _("loại hoạt động được tính"),
        max_length=12,
        choices=ActivityKind.choices,
        blank=True,
        help_text=_("Để trống: mọi loại hoạt động."),
    )
    thresholds = models.CharField(
        _("ngưỡng điểm"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ “12: 10; 6: 5”: từ 12 trở lên 10 điểm, từ 6 trở lên 5 điểm, ít hơn 0."),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["group__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="%(app_label)s_%(class)s_max_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text}"

    @property
    def is_quantitative(self) -> bool:
        return bool(self.measure)

    def threshold_pairs(self):
        return parse_thresholds(self.thresholds, max_score=self.max_score)

    def clean(self):
        super().clean()
        check_quantitative(self)


class GateCondition(models.Model):
    """A yes/no condition; "yes" caps the best level reachable ("để xảy ra điểm nóng"
    → at best level 3)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="gates"
    )
    code = models.CharField(_("mã"), max_length=10)
    question = models.CharField(_("điều kiện"), max_length=300)
    cap_level = models.PositiveSmallIntegerField(
        _("mức cao nhất được xếp khi có"), choices=LEVEL_CHOICES
    )
    # Empty: a person answers; "hot_spot": answered from the record (evaluations.measures).
    automatic = models.CharField(
        _("trả lời tự động"), max_length=10, choices=GateRule.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("điều kiện khống chế")
        verbose_name_plural = _("điều kiện khống chế")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.question}"


class RatingLevel(models.Model):
    """One step of a set's rating scale: a level, its label, the minimum total."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(_("mức"), choices=LEVEL_CHOICES)
    label = models.CharField(_("tên mức"), max_length=100)
    min_score = models.DecimalField(_("điểm tối thiểu"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["criteria_set", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "level"], name="%(app_label)s_%(class)s_unique_level"
            ),
        ]

    def __str__(self):
        return f"{self.level}. {self.label} (≥ {self.min_score})"


class RatingSteps(models.Model):
    """What a unit's and a member's rating share: the year, the step it stands at, and
    each step's level with who took it and when (evaluations.services moves both through
    the same steps). ``area_path`` copies the rated unit's path so that ratings of an
    area are one indexed condition (accounts.access)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.SELF)
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, db_index=True, editable=False)
    # Every field has a Vietnamese name: the audit trail labels its changes with them.
    self_level = models.PositiveSmallIntegerField(
        _("mức tự đánh giá"), null=True, blank=True, choices=LEVEL_CHOICES
    )
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi tự đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    self_at = models.DateTimeField(_("gửi tự đánh giá lúc"), null=True, blank=True)
    proposed_level = models.PositiveSmallIntegerField(
        _("mức đề xuất"), null=True, blank=True, choices=LEVEL_CHOICES
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi đề xuất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("gửi đề xuất lúc"), null=True, blank=True)
    decided_level = models.PositiveSmallIntegerField(
        _("mức xếp loại"), null=True, blank=True, choices=LEVEL_CHOICES
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    adjust_reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    return_comment = models.CharField(_("ý kiến khi trả lại"), max_length=500, blank=True)
    not_rated_reason = models.CharField(_("lý do không xếp loại"), max_length=300, blank=True)
    reopen_reason = models.CharField(_("lý do mở lại"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.stage in LOCKED_STAGES


class Evaluation(InPeriod, RatingSteps):
    """The rating of one unit for one year, through self-assessment, the commune's
    proposal and the decision from above.

    Scores of each stage are kept apart (``EvaluationScore.stage``), so the decision
    never overwrites what the unit said about itself. ``area_path`` copies the unit's
    path: ratings of an area are one indexed condition (accounts.access).
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # The criteria set's period ("" the whole year: every rating made before periods).
    period = models.CharField(_("kỳ đánh giá"), max_length=6, blank=True, default="")
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    self_total = models.DecimalField(
        _("tổng điểm tự đánh giá"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed_total = models.DecimalField(
        _("tổng điểm đề xuất"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    decided_total = models.DecimalField(
        _("tổng điểm quyết định"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    # Every step (stage, totals, levels, who, reasons) is a change of this row; the
    # rating's history page (what each step changed in the sheet) is its detail page.
    history = AuditedHistory(
        kind="evaluation",
        paths=("area_path",),
        related=("unit",),
        detail_url=("evaluations:history", "id"),
    )

    class Meta:
        verbose_name = _("đánh giá đơn vị")
        verbose_name_plural = _("đánh giá đơn vị")
        ordering = ["-year", "area_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "period"],
                name="%(app_label)s_%(class)s_unique_unit_period",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DECIDED) | Q(decided_level__isnull=False),
                name="%(app_label)s_%(class)s_decided_has_level",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.NOT_RATED) | ~Q(not_rated_reason=""),
                name="%(app_label)s_%(class)s_not_rated_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["year", "stage"], name="evaluations_year_stage")]

    def __str__(self):
        return f"{self.unit} — {period_key(self.year, self.period)}"

    def save(self, *args, **kwargs):
        self.area_path = self.unit.area_path
        if self._state.adding:
            self.period = self.criteria_set.period
        super().save(*args, **kwargs)


class EvaluationScore(models.Model):
    """One item's score at one stage."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        CriterionItem, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("bước"), max_length=10, choices=ScoreStage.choices)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)
    # A quantitative item's self-assessment: what the record gave when it was saved
    # (the count and its points) and, when the unit scored otherwise, why.
    count = models.PositiveIntegerField(_("số đếm từ sổ theo dõi"), null=True, blank=True)
    computed = models.DecimalField(
        _("điểm tính từ sổ theo dõi"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    override_reason = models.CharField(_("lý do khác điểm tính từ sổ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "item", "stage"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="%(app_label)s_%(class)s_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.score}"


class GateAnswer(models.Model):
    """A gate condition's yes/no answer at one stage."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("đánh giá"),
        on_delete=models.CASCADE,
        related_name="gate_answers",
    )
    gate = models.ForeignKey(
        GateCondition, verbose_name=_("điều kiện"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("bước"), max_length=10, choices=ScoreStage.choices)
    answer = models.BooleanField(_("có xảy ra"))

    class Meta:
        verbose_name = _("trả lời điều kiện")
        verbose_name_plural = _("trả lời điều kiện")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "gate", "stage"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self):
        return f"{self.gate_id}: {self.answer}"


class EvaluationStep(models.Model):
    """One step taken on a unit's rating and what it changed: which items' scores went
    from what to what, which gate answers changed, which evidence files were added or
    removed, with who, when and through which door (web, Excel import, admin).

    The audit trail keeps the rating row's own columns (stage, totals, levels); the
    scores, answers and files are rows of their own, replaced as a sheet is saved, so
    the services write this record of the step (``evaluations.services.history``).
    ``changes`` holds ``{"scores": [[stage, code, old, new]], "gates": [[stage, code,
    old, new]], "added": [[code, name]], "removed": [[code, name]]}`` (numbers as text,
    answers as booleans, None for "none")."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="steps"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, db_index=True, editable=False)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    door = models.CharField(_("kênh"), max_length=8, choices=Door.choices, default=current_door)
    batch_id = models.UUIDField(_("mã lượt nhập"), null=True, blank=True, default=current_batch_id)
    action = models.CharField(_("thao tác"), max_length=10, choices=StepAction.choices)
    stage = models.CharField(_("bước sau thao tác"), max_length=10, choices=Stage.choices)
    total = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2, null=True)
    level = models.PositiveSmallIntegerField(_("mức"), null=True, choices=LEVEL_CHOICES)
    note = models.CharField(_("ý kiến, lý do"), max_length=500, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bước đánh giá")
        verbose_name_plural = _("các bước đánh giá")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["evaluation", "at"], name="evaluations_step_at")]

    def __str__(self):
        return f"{self.evaluation_id}: {self.action}"

    def save(self, *args, **kwargs):
        self.area_path = self.evaluation.area_path
        super().save(*args, **kwargs)


def evidence_path(instance, filename):
    return f"evidence/{instance.evaluation.year}/{instance.evaluation_id}/{filename}"


class EvidenceFile(models.Model):
    """A file the unit attaches to one item of its self-assessment."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="evidence"
    )
    item = models.ForeignKey(
        CriterionItem, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=evidence_path)
    description = models.CharField(_("mô tả"), max_length=250, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self):
        return self.description or self.file.name


class MemberRating(InPeriod, RatingSteps):
    """A member's level for one year, with the same three stages as a unit's rating."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="ratings"
    )

    history = AuditedHistory(kind="member_rating", paths=("area_path",), related=("membership",))

    #: A member is rated for a whole year only (its period's code, evaluations.periods).
    period = YEAR

    class Meta:
        verbose_name = _("xếp loại thành viên")
        verbose_name_plural = _("xếp loại thành viên")
        ordering = ["-year", "area_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                name="%(app_label)s_%(class)s_unique_membership_year",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DECIDED) | Q(decided_level__isnull=False),
                name="%(app_label)s_%(class)s_decided_has_level",
            ),
        ]

    def __str__(self):
        return f"{self.membership.person} — {self.year}"

    def save(self, *args, **kwargs):
        self.area_path = self.membership.area_path
        super().save(*args, **kwargs)
