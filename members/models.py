"""People and their memberships in blocs and teams, kept apart.

A person can sit in several units (a commune officer in the bloc and in a village team; a
district cadre assigned to a far-away team), so the person is one row and each seat is a
membership. Ending a membership records the departure; nothing is deleted.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import ETHNICITY_CHOICES, KINH, Gender, Role, role_label
from portal.audit import AuditedHistory
from portal.paths import PathField
from portal.text import fold, normalize
from units.models import Area, Unit, area_exists_q

ERROR_END_BEFORE_START = _("Ngày thôi không được trước ngày tham gia.")
ERROR_BIRTH_YEAR = _("Năm sinh phải từ 1900 đến năm nay.")


class PersonQuerySet(models.QuerySet):
    def search(self, query: str) -> "PersonQuerySet":
        """Names containing every word of ``query``, ignoring case and diacritics."""
        queryset = self
        for word in fold(query).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset


class Person(models.Model):
    """A person on one or more rosters.

    Identity rule (docs/ROSTERS.md): within one province, the same folded full name and
    birth year, with phones that agree (equal, or one of them unknown), are the same
    person. Staff merge two records of one person or split one record of two people when
    the rule gets it wrong (``members.services.person_merge`` / ``person_split``).
    """

    full_name = models.CharField(_("họ và tên"), max_length=120)
    search_name = models.CharField(_("tên không dấu"), max_length=120, editable=False)
    gender = models.CharField(_("giới tính"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=20, choices=ETHNICITY_CHOICES, blank=True)
    party_member = models.BooleanField(_("đảng viên"), default=False)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    # The province where the person is recorded: the scope of the identity rule.
    province = models.ForeignKey(
        Area, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    # The audit trail (portal.audit): staff of the province, or of an area where the
    # person holds or held a seat, see it; the person's page lists their seats' changes.
    history = AuditedHistory(
        kind="person",
        paths=("province__path",),
        via=(("membership", "person_id"),),
        includes=(("membership", "person_id"),),
        detail_url=("members:person_detail", "id"),
    )

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["search_name", "birth_year", "pk"]
        indexes = [
            # The identity rule's lookup: province + folded name (+ birth year).
            models.Index(
                fields=["province", "search_name", "birth_year"], name="members_person_identity"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="%(app_label)s_%(class)s_birth_year_range",
            ),
        ]

    def __str__(self):
        if self.birth_year:
            return f"{self.full_name} ({self.birth_year})"
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Normalise the name and fill the search column; bulk writes call this too."""
        self.full_name = normalize(self.full_name)
        self.search_name = fold(self.full_name)

    @property
    def is_ethnic_minority(self) -> bool:
        return bool(self.ethnicity) and self.ethnicity != KINH


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        """Memberships in force today (an end date in the future is not an end yet)."""
        return self.active_on(timezone.localdate())

    def active_on(self, day) -> "MembershipQuerySet":
        """Memberships in force on ``day``: started by then (or start unknown), not
        ended before it (the end date is the last day), in a unit whose area exists on
        that day (a legacy seat is never in force after 30/06/2025, even when nobody
        ended it: docs/REORGANISATION.md, "Validity")."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            area_exists_q(day, "unit__"),
        )

    def under(self, area: Area) -> "MembershipQuerySet":
        """Memberships of units at ``area`` or below it, without joining the tree."""
        return self.filter(area_path__descendant_of=area.path)


class Membership(models.Model):
    """A person's seat in a unit, from a start date to an optional end date.

    ``area_path`` copies the unit's area path so that "every member under this district"
    is one indexed condition on this table (docs/DECISIONS.md, "Measured facts").
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("người"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("ngày tham gia"), null=True, blank=True)
    end_date = models.DateField(_("ngày thôi"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi"), max_length=200, blank=True)
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, db_index=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = MembershipQuerySet.as_manager()
    # The audit trail, scoped by the copied area path like the memberships themselves.
    history = AuditedHistory(
        kind="membership",
        paths=("area_path",),
        related=("person", "unit"),
        detail_url=("members:unit_detail", "unit_id"),
    )

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["unit", "role", "person__search_name"]
        constraints = [
            # A person holds at most one open seat in a unit; history rows are ended.
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(end_date__isnull=True),
                name="%(app_label)s_%(class)s_unique_active_person_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.role_label} — {self.unit}"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": ERROR_END_BEFORE_START})

    def fill_derived_fields(self) -> None:
        self.area_path = self.unit.area_path

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.unit.kind)


from members.models_imports import ImportJob  # noqa: E402,F401
