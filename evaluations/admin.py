"""Django admin for criteria sets and ratings.

Criteria sets are created and their heading (title, quota) changed through the
services (``ServiceModelForm``); their groups, items, gates and scale are shown
read-only here and edited on the staff page (``evaluations:criteria_update``), which
keeps the whole set valid together. Issuing, copying to the next year and making a new
version are admin actions calling the services. Ratings are read-only: every step of a
rating goes through the staff screens and their services. Approval chains are shown
read-only, each with a link to its province's staff page (``evaluations:chains``), where
they are set through the service that checks the combination of roles. Every list
starts from the scoped selectors.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.choices import StaffRole
from accounts.selectors import areas_visible_to
from evaluations.models import (
    ApprovalChain,
    CriteriaGroup,
    CriteriaSet,
    CriterionItem,
    Evaluation,
    EvaluationScore,
    EvidenceFile,
    GateAnswer,
    GateCondition,
    MemberRating,
    RatingLevel,
)
from evaluations.selectors.scope import (
    can_manage,
    criteria_sets_managed_by,
    criteria_sets_visible_to,
    evaluations_visible_to,
    member_ratings_visible_to,
)
from evaluations.services.criteria import (
    criteria_set_copy,
    criteria_set_create,
    criteria_set_issue,
    criteria_set_new_version,
    criteria_set_update,
)
from evaluations.stages import MANAGE_CRITERIA, VIEW_RATINGS
from portal.forms import ServiceAdminMixin, ServiceModelForm
from portal.text import fold
from units.choices import Level


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Criteria sets -------------------------------------------------------------------------


class GroupInline(ReadOnlyInline):
    model = CriteriaGroup
    fields = ["code", "title", "order"]
    readonly_fields = fields
    show_change_link = True


class GateInline(ReadOnlyInline):
    model = GateCondition
    fields = ["code", "question", "cap_level", "automatic"]
    readonly_fields = fields


class LevelInline(ReadOnlyInline):
    model = RatingLevel
    fields = ["level", "label", "min_score"]
    readonly_fields = fields


class CriteriaSetAdminForm(ServiceModelForm):
    class Meta:
        model = CriteriaSet
        fields = ["province", "year", "subject", "title", "quota_percent"]

    def call_service(self, data):
        if self.instance.pk:
            return criteria_set_update(
                acting_user=self.acting_user,
                criteria_set=self.instance,
                title=data["title"],
                quota_percent=data.get("quota_percent"),
            )
        return criteria_set_create(
            acting_user=self.acting_user,
            province=data["province"],
            year=data["year"],
            subject=data["subject"],
            title=data["title"],
            quota_percent=data.get("quota_percent"),
        )


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Criteria sets of the provinces the user works in."""

    form = CriteriaSetAdminForm
    list_display = ["title", "province", "year", "subject", "version", "issued", "edit_link"]
    list_filter = ["year", "subject", "issued"]
    search_fields = ["title"]
    list_select_related = ["province"]
    inlines = [GroupInline, GateInline, LevelInline]
    actions = ["issue", "copy_to_next_year", "new_version"]
    readonly_fields = ["version", "issued", "issued_on", "copied_from", "edit_link"]

    def get_queryset(self, request):
        # ``manageable``: whether the user may change the set, for its contents link.
        managed = criteria_sets_managed_by(request.user).filter(pk=OuterRef("pk"))
        return (
            criteria_sets_visible_to(request.user)
            .select_related("province")
            .annotate(manageable=Exists(managed))
        )

    def get_inlines(self, request, obj):
        # A new set gets the default scale from the service; its contents come after.
        return super().get_inlines(request, obj) if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["province", "year", "subject"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = areas_visible_to(request.user).filter(level=Level.PROVINCE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None:
            allowed = allowed and can_manage(request.user, obj)
        return allowed

    def has_delete_permission(self, request, obj=None):
        return False  # a set is replaced by a new version, never deleted

    @admin.display(description=_("nội dung"))
    def edit_link(self, obj):
        """The set's groups, criteria, gates and scale on the staff pages: the editor for
        whoever may change the set, its read-only page for the others (a commune officer
        reads the province's sets, never edits one: the editor would answer 403)."""
        if obj.pk is None:
            return "—"
        page = "criteria_update" if getattr(obj, "manageable", False) else "criteria_detail"
        return format_html(
            '<a href="{}">{}</a>',
            reverse(f"evaluations:{page}", args=[obj.pk]),
            _("Nhóm, tiêu chí, điều kiện, thang điểm"),
        )

    def _each(self, request, queryset, action, done_message):
        done = 0
        for criteria_set in queryset:
            try:
                action(criteria_set)
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    self.message_user(request, f"{criteria_set}: {message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)

    @admin.action(description=_("Ban hành"), permissions=["change"])
    def issue(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: criteria_set_issue(acting_user=request.user, criteria_set=s),
            _("Đã ban hành {count} bộ tiêu chí."),
        )

    @admin.action(description=_("Sao chép sang năm sau"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: criteria_set_copy(acting_user=request.user, source=s, year=s.year + 1),
            _("Đã sao chép {count} bộ tiêu chí sang năm sau."),
        )

    @admin.action(description=_("Tạo phiên bản mới"), permissions=["add"])
    def new_version(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: criteria_set_new_version(acting_user=request.user, source=s),
            _("Đã tạo {count} phiên bản mới."),
        )


class ItemInline(ReadOnlyInline):
    model = CriterionItem
    fields = ["code", "text", "max_score", "guidance", "measure", "activity_kind", "thresholds"]
    readonly_fields = fields


@admin.register(CriteriaGroup)
class CriteriaGroupAdmin(ReadOnlyAdmin):
    """A group with its items (read-only: edited with the whole set)."""

    list_display = ["__str__", "criteria_set"]
    list_select_related = ["criteria_set"]
    fields = ["criteria_set", "code", "title", "order"]
    readonly_fields = fields
    inlines = [ItemInline]

    def get_queryset(self, request):
        return CriteriaGroup.objects.filter(
            criteria_set__in=criteria_sets_visible_to(request.user)
        ).select_related("criteria_set")

    def has_module_permission(self, request):
        return False  # reached from its set


# --- Ratings (read-only) ---------------------------------------------------------------------


class ScoreInline(ReadOnlyInline):
    model = EvaluationScore
    fields = ["item", "stage", "score", "count", "computed", "override_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item").order_by("stage", "item__code")


class GateAnswerInline(ReadOnlyInline):
    model = GateAnswer
    fields = ["gate", "stage", "answer"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("gate")


class EvidenceInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["item", "file_link", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "uploaded_by")

    @admin.display(description=_("tệp"))
    def file_link(self, obj):
        # Through the scoped view, never the storage's own URL.
        return format_html(
            '<a href="{}">{}</a>', reverse("evaluations:evidence", args=[obj.pk]), obj
        )


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """Unit ratings of the user's area, read-only (the steps are taken on the staff
    pages, through the services)."""

    list_display = ["unit", "year", "stage", "proposed_total", "proposed_level", "decided_level"]
    list_filter = ["year", "stage", "decided_level"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_name"]
    inlines = [ScoreInline, GateAnswerInline, EvidenceInline]
    readonly_fields = [
        "unit", "year", "criteria_set", "stage", "self_total", "self_level", "self_by",
        "self_at", "proposed_total", "proposed_level", "proposed_by", "proposed_at",
        "decided_total", "decided_level", "decided_by", "decided_at", "adjust_reason",
        "return_comment", "not_rated_reason", "reopen_reason", "created_at", "updated_at",
    ]  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        return evaluations_visible_to(request.user).select_related("unit", "criteria_set")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_RATINGS)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(MemberRating)
class MemberRatingAdmin(ReadOnlyAdmin):
    """Member ratings of the user's area, read-only."""

    list_display = ["membership", "year", "stage", "proposed_level", "decided_level"]
    list_filter = ["year", "stage", "decided_level"]
    list_select_related = ["membership__person"]
    readonly_fields = [
        "membership", "year", "stage", "self_level", "self_by", "self_at", "proposed_level",
        "proposed_by", "proposed_at", "decided_level", "decided_by", "decided_at",
        "adjust_reason", "return_comment", "not_rated_reason", "reopen_reason",
    ]  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        return member_ratings_visible_to(request.user).select_related("membership__person")


# --- Approval chains -------------------------------------------------------------------------


def _role(value: str) -> str:
    return StaffRole(value).label if value in StaffRole.values else value


@admin.register(ApprovalChain)
class ApprovalChainAdmin(ReadOnlyAdmin):
    """The approval chains of the provinces in the user's area, read-only: a chain is set
    on its province's staff page, whose service checks the roles together."""

    list_display = ["province", "kind", "self_by", "proposal_by", "decision_by", "edit_link"]
    list_filter = ["kind"]
    list_select_related = ["province"]
    fields = ["province", "kind", "self_by", "proposal_by", "decision_by", "updated_at",
              "edit_link"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return ApprovalChain.objects.filter(
            province__in=areas_visible_to(request.user).filter(level=Level.PROVINCE)
        ).select_related("province")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE_CRITERIA)

    @admin.display(description=_("người tự đánh giá"))
    def self_by(self, obj):
        return _role(obj.self_role)

    @admin.display(description=_("người đề xuất"))
    def proposal_by(self, obj):
        return _role(obj.proposal_role) if obj.proposal_role else _("Không có bước đề xuất")

    @admin.display(description=_("người quyết định"))
    def decision_by(self, obj):
        return _role(obj.decision_role)

    @admin.display(description=_("sửa"))
    def edit_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("evaluations:chains", args=[obj.province_id]),
            _("Sửa trên trang quy trình phê duyệt"),
        )
