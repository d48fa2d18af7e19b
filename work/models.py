"""The teams' daily work: activities, citizens' opinions followed to an answer (with hot
spots), and the province's overdue rule.

Activities and opinions copy their unit's ``area_path`` (as memberships do), so that
"everything under this province / commune" is one indexed prefix condition on their own
table: scoped lists and the figures of the statistics and the periodic reports need no
join (docs/WORK.md).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedHistory
from portal.paths import PathField
from portal.text import fold
from units.choices import Edition, Level
from units.models import Area, Unit
from work.choices import (
    DEFAULT_OVERDUE_DAYS,
    OVERDUE_DAYS_MAX,
    OVERDUE_DAYS_MIN,
    UNANSWERED,
    ActivityKind,
    OpinionChannel,
    OpinionStatus,
    OpinionTopic,
    Severity,
)

#: No record of the daily work is older than this (a mistyped year like 0206 is caught).
EARLIEST_DAY = datetime.date(2000, 1, 1)
PARTICIPANTS_MAX = 10_000
PEOPLE_REACHED_MAX = 1_000_000
WORK_DAYS_MAX = 100_000

ERROR_FUTURE = _("Ngày không được sau hôm nay ({today}).")
ERROR_TOO_OLD = _("Ngày phải từ 01/01/2000 trở đi.")
ERROR_BEFORE_AREA = _("{unit} chỉ có từ ngày {date}: hãy ghi một ngày từ ngày đó trở đi.")
ERROR_AFTER_AREA = _("{unit} chỉ có đến ngày {date}: hãy ghi một ngày đến ngày đó.")
ERROR_DISSOLVED = _("{unit} đã giải thể từ ngày {date}: không ghi được từ ngày đó trở đi.")
ERROR_WORK_DAYS_REQUIRED = _("Ra quân ngày công cần ghi số ngày công.")
ERROR_BEFORE_RECEIVED = _("{what} không được trước ngày tiếp nhận ý kiến ({date}).")
ERROR_BEFORE_ANSWER = _("{what} không được trước ngày trả lời ({date}).")
ERROR_RESOLVED_BEFORE_FLAG = _(
    "Ngày giải quyết điểm nóng không được trước ngày phát hiện ({date})."
)
ERROR_SETTINGS_PROVINCE = _(
    "Số ngày trả lời được đặt cho từng tỉnh, thành phố theo danh mục từ 01/07/2025."
)

WHAT_FORWARDED = _("Ngày chuyển")
WHAT_ANSWERED = _("Ngày trả lời")
WHAT_RETURNED = _("Ngày thông tin lại")
WHAT_CLOSED = _("Ngày kết thúc")
WHAT_FLAGGED = _("Ngày phát hiện điểm nóng")


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def day_errors(unit: Unit, day: datetime.date | None, *, today: datetime.date) -> list[str]:
    """Why ``unit`` cannot have done or received something on ``day``: a day in the
    future, before 2000, outside the life of the unit's area (a 2025 commune exists from
    01/07/2025, a legacy one until 30/06/2025) or from the day the unit was dissolved.
    No query when the unit's area is loaded (the import relies on it)."""
    if day is None:
        return []
    if day > today:
        return [str(ERROR_FUTURE).format(today=_day(today))]
    if day < EARLIEST_DAY:
        return [str(ERROR_TOO_OLD)]
    area = unit.area
    if area.valid_from and day < area.valid_from:
        return [str(ERROR_BEFORE_AREA).format(unit=unit.name, date=_day(area.valid_from))]
    if area.valid_until and day > area.valid_until:
        return [str(ERROR_AFTER_AREA).format(unit=unit.name, date=_day(area.valid_until))]
    if unit.dissolved_on and day >= unit.dissolved_on:
        return [str(ERROR_DISSOLVED).format(unit=unit.name, date=_day(unit.dissolved_on))]
    return []


class AddDays(models.Func):
    """``date_column + days`` as a date on PostgreSQL and SQLite (``days`` is a Python
    int, written into the SQL as a number)."""

    output_field = models.DateField()

    def __init__(self, expression, days: int):
        self.days = int(days)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"(%(expressions)s + {self.days})", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"date(%(expressions)s, '+{self.days} days')", **extra
        )


# --- Activities -------------------------------------------------------------------------


class Activity(models.Model):
    """One thing a bloc or team did on a day: a propaganda session, a meeting with
    residents, home visits, a mediation, a campaign work-day or something else, with
    the place, the people who took part, the residents reached and (for work-days) the
    work-days given. ``area_path`` copies the unit's area path."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="activities"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, editable=False)
    kind = models.CharField(_("loại hoạt động"), max_length=12, choices=ActivityKind.choices)
    date = models.DateField(_("ngày"))
    place = models.CharField(_("thôn hoặc địa điểm"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(
        _("số người tham gia"), default=0, validators=[MaxValueValidator(PARTICIPANTS_MAX)]
    )
    people_reached = models.PositiveIntegerField(
        _("số người dân tiếp cận"), default=0, validators=[MaxValueValidator(PEOPLE_REACHED_MAX)]
    )
    work_days = models.PositiveIntegerField(
        _("số ngày công"), null=True, blank=True, validators=[MaxValueValidator(WORK_DAYS_MAX)]
    )
    description = models.TextField(_("nội dung"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = AuditedHistory(
        kind="activity",
        paths=("area_path",),
        related=("unit",),
        detail_url=("work:activity_detail", "id"),
    )

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["-date", "-pk"]
        indexes = [
            # Scoped lists (newest first) and the figures of an area over a period: a
            # path prefix then a date range, both served by one index. varchar_pattern_ops
            # lets PostgreSQL use it for LIKE 'prefix%' (ignored on SQLite).
            models.Index(
                fields=["area_path", "date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                name="work_activity_path_date",
            ),
            models.Index(fields=["unit", "date"], name="work_activity_unit_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.unit} — {_day(self.date)}"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work:activity_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.unit_id is not None and self.date is not None:
            problems = day_errors(self.unit, self.date, today=timezone.localdate())
            if problems:
                errors["date"] = problems
        if self.kind == ActivityKind.WORK_DAYS and not self.work_days:
            errors["work_days"] = [ERROR_WORK_DAYS_REQUIRED]
        if errors:
            raise ValidationError(errors)

    def fill_derived_fields(self) -> None:
        self.area_path = self.unit.area_path


def photo_upload_to(instance, filename: str) -> str:
    # Unused in practice: work.photos names every file itself (random, under work/).
    return f"work/{filename}"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded on upload without its metadata (a phone's
    EXIF holds where it was taken) and resized (``work.photos``). Stored under
    ``MEDIA_ROOT/work/``, which no public view serves: staff whose area covers the
    activity read it through ``work:photo``."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("hoạt động"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("tệp ảnh"), upload_to=photo_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("rộng"), default=0)
    height = models.PositiveIntegerField(_("cao"), default=0)
    #: The smaller copies: [{"width", "height", "jpeg", "webp"}] (news.images).
    variants = models.JSONField(_("các cỡ ảnh"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    # Recorded (who added or removed a photo); listed with the activity's admin history.
    history = AuditedHistory()

    class Meta:
        verbose_name = _("ảnh hoạt động")
        verbose_name_plural = _("ảnh hoạt động")
        ordering = ["pk"]

    def __str__(self):
        return self.file.name

    def get_absolute_url(self):
        return reverse("work:photo", args=[self.pk])


# --- Citizens' opinions -----------------------------------------------------------------


class Opinion(models.Model):
    """A citizen's opinion or request (ý kiến, kiến nghị) received by a bloc or team,
    followed to an answer: forwarded (to whom, when), answered (the answer, by whom,
    when), brought back to the citizen (when, how), closed. It may be flagged as a hot
    spot (điểm nóng), followed until resolved.

    ``due_on`` is the last day to answer: the day received plus the province's number
    of days (``ProvinceWorkSettings``), kept by the services, so "overdue on a day" is a
    plain date comparison in SQL. The citizen's name and phone are personal data: only
    staff whose area covers the unit see them (every read is scoped), never the public.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="opinions"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, editable=False)
    received_on = models.DateField(_("ngày tiếp nhận"))
    channel = models.CharField(_("hình thức"), max_length=12, choices=OpinionChannel.choices)
    topic = models.CharField(_("lĩnh vực"), max_length=16, choices=OpinionTopic.choices)
    summary = models.TextField(_("nội dung ý kiến"), max_length=2000)
    citizen_name = models.CharField(_("họ tên người dân"), max_length=120, blank=True)
    citizen_phone = models.CharField(_("số điện thoại người dân"), max_length=15, blank=True)
    #: ``citizen_name`` folded (``portal.text.fold``), for a citizen's request
    #: (``work.citizen_data``); derived, so not recorded in the history.
    citizen_search_name = models.CharField(
        _("họ tên người dân không dấu"), max_length=120, blank=True, editable=False
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.NEW
    )
    due_on = models.DateField(_("hạn trả lời"), editable=False)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=200, blank=True)
    forwarded_on = models.DateField(_("ngày chuyển"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), max_length=2000, blank=True)
    answered_by = models.CharField(_("người, cơ quan trả lời"), max_length=200, blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    returned_on = models.DateField(_("ngày thông tin lại"), null=True, blank=True)
    returned_how = models.CharField(_("cách thông tin lại"), max_length=200, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    hot_spot_severity = models.CharField(
        _("mức độ điểm nóng"), max_length=8, choices=Severity.choices, blank=True
    )
    hot_spot_since = models.DateField(_("ngày phát hiện điểm nóng"), null=True, blank=True)
    hot_spot_note = models.CharField(_("ghi chú điểm nóng"), max_length=300, blank=True)
    hot_spot_resolved_on = models.DateField(_("ngày giải quyết điểm nóng"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # Every step is in the trail. ``due_on`` (the province's rule rewrites it in bulk)
    # and ``citizen_search_name`` are derived, so they are not recorded.
    history = AuditedHistory(
        kind="opinion",
        paths=("area_path",),
        related=("unit",),
        detail_url=("work:opinion_detail", "id"),
        excluded_fields=["due_on", "citizen_search_name"],
    )

    class Meta:
        verbose_name = _("ý kiến, kiến nghị")
        verbose_name_plural = _("ý kiến, kiến nghị")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(
                fields=["area_path", "received_on"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                name="work_opinion_path_received",
            ),
            # The queues: what is waiting, by area.
            models.Index(
                fields=["area_path", "status"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="work_opinion_path_status",
            ),
            # A citizen's request: opinions by phone or by folded name.
            models.Index(
                fields=["citizen_phone"],
                condition=~Q(citizen_phone=""),
                name="work_opinion_citizen_phone",
            ),
            models.Index(
                fields=["citizen_search_name"],
                condition=~Q(citizen_search_name=""),
                name="work_opinion_citizen_name",
            ),
            # Hot spots are few: a partial index finds them without reading the rest.
            models.Index(
                fields=["area_path"],
                opclasses=["varchar_pattern_ops"],
                condition=~Q(hot_spot_severity=""),
                name="work_opinion_hot_spots",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(forwarded_on__isnull=True) | Q(forwarded_on__gte=F("received_on")),
                name="%(app_label)s_%(class)s_forwarded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="%(app_label)s_%(class)s_answered_after_received",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("answered_on")),
                name="%(app_label)s_%(class)s_returned_after_answered",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("answered_on")),
                name="%(app_label)s_%(class)s_closed_after_answered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=UNANSWERED) | Q(answered_on__isnull=False),
                name="%(app_label)s_%(class)s_answered_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(hot_spot_severity="") & Q(hot_spot_since__isnull=True))
                | (~Q(hot_spot_severity="") & Q(hot_spot_since__gte=F("received_on"))),
                name="%(app_label)s_%(class)s_hot_spot_has_date",
            ),
            models.CheckConstraint(
                condition=Q(hot_spot_resolved_on__isnull=True)
                | Q(hot_spot_resolved_on__gte=F("hot_spot_since")),
                name="%(app_label)s_%(class)s_resolved_after_flagged",
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()} — {self.unit} — {_day(self.received_on)}"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work:opinion_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.unit_id is None or self.received_on is None:
            return
        today = timezone.localdate()
        errors = {}

        def check(field, day, *, after=None, what=None, message=ERROR_BEFORE_RECEIVED):
            if day is None:
                return
            problems = day_errors(self.unit, day, today=today)
            if not problems and after is not None and day < after:
                problems = [str(message).format(what=what, date=_day(after))]
            if problems:
                errors[field] = problems

        check("received_on", self.received_on)
        received = self.received_on
        check("forwarded_on", self.forwarded_on, after=received, what=WHAT_FORWARDED)
        check("answered_on", self.answered_on, after=received, what=WHAT_ANSWERED)
        answered = self.answered_on or received
        check(
            "returned_on",
            self.returned_on,
            after=answered,
            what=WHAT_RETURNED,
            message=ERROR_BEFORE_ANSWER,
        )
        check(
            "closed_on",
            self.closed_on,
            after=answered,
            what=WHAT_CLOSED,
            message=ERROR_BEFORE_ANSWER,
        )
        check("hot_spot_since", self.hot_spot_since, after=received, what=WHAT_FLAGGED)
        if self.hot_spot_resolved_on is not None and self.hot_spot_since is not None:
            if self.hot_spot_resolved_on < self.hot_spot_since:
                errors["hot_spot_resolved_on"] = [
                    str(ERROR_RESOLVED_BEFORE_FLAG).format(date=_day(self.hot_spot_since))
                ]
            else:
                check("hot_spot_resolved_on", self.hot_spot_resolved_on)
        if errors:
            raise ValidationError(errors)

    def fill_derived_fields(self) -> None:
        self.area_path = self.unit.area_path
        self.citizen_search_name = fold(self.citizen_name)

    @property
    def is_answered(self) -> bool:
        return self.status not in UNANSWERED

    @property
    def is_hot_spot(self) -> bool:
        return bool(self.hot_spot_severity)

    @property
    def hot_spot_open(self) -> bool:
        return self.is_hot_spot and self.hot_spot_resolved_on is None

    def overdue_on(self, day: datetime.date) -> bool:
        """Whether the opinion is overdue on ``day``: received by then, not answered by
        then, and more days than its province allows have passed (``due_on`` < day)."""
        answered = self.answered_on is not None and self.answered_on <= day
        return self.received_on <= day and not answered and self.due_on < day

    def days_late(self, day: datetime.date) -> int:
        return (day - self.due_on).days if self.overdue_on(day) else 0


# --- The province's rule ----------------------------------------------------------------


class ProvinceWorkSettings(models.Model):
    """How many days a province (2025 map) gives for answering a citizen's opinion
    before it counts as overdue; without a row the default of 15 applies. Provincial
    staff of the province and system administrators change it (``overdue_days_set``)."""

    province = models.OneToOneField(
        Area,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="work_settings",
    )
    overdue_days = models.PositiveSmallIntegerField(
        _("số ngày phải trả lời ý kiến"),
        default=DEFAULT_OVERDUE_DAYS,
        validators=[MinValueValidator(OVERDUE_DAYS_MIN), MaxValueValidator(OVERDUE_DAYS_MAX)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = AuditedHistory(kind="work_settings", paths=("province__path",), related=("province",))

    class Meta:
        verbose_name = _("thời hạn trả lời ý kiến của tỉnh")
        verbose_name_plural = _("thời hạn trả lời ý kiến của tỉnh")
        ordering = ["province__code"]
        permissions = [
            ("manage_settings", _("Đặt số ngày phải trả lời ý kiến của tỉnh")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(overdue_days__gte=OVERDUE_DAYS_MIN)
                & Q(overdue_days__lte=OVERDUE_DAYS_MAX),
                name="%(app_label)s_%(class)s_overdue_days_range",
            ),
        ]

    def __str__(self):
        return f"{self.province} — {self.overdue_days}"

    def clean(self):
        super().clean()
        province = self.province if self.province_id else None
        if province is not None and (
            province.level != Level.PROVINCE or province.edition != Edition.V2025
        ):
            raise ValidationError({"province": ERROR_SETTINGS_PROVINCE})
