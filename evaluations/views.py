"""Ratings screens: thin views. Reads come from ``evaluations.selectors`` (an object
outside the user's area answers 404, like one that does not exist); writes go through
``evaluations.services``, which check the permission and the area again and whose
``ValidationError`` goes back on the form with nothing written. Actions the user may not
take are hidden; their URLs answer 403."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.mixins import StaffRequiredMixin
from accounts.selectors import areas_visible_to, units_visible_to, user_is_portal_staff
from evaluations import selectors, services
from evaluations.choices import ScoreStage, Stage, Subject
from evaluations.forms import (
    AdjustForm,
    BulkSelectionForm,
    CopyForm,
    CriteriaEditor,
    ReasonForm,
    RosterRatingForm,
    ScaleForm,
    ScoreSheetForm,
    return_form,
)
from evaluations.models import EvidenceFile
from portal.paths import province_path
from units.choices import Level

PAGE_SIZE = 50
YEAR_MIN, YEAR_MAX = 2000, 2100

MESSAGE_STARTED = _("Đã mở phiếu tự đánh giá năm {year} của {unit}.")
MESSAGE_DRAFT_SAVED = _("Đã lưu nháp.")
MESSAGE_SELF_SUBMITTED = _("Đã gửi tự đánh giá của {unit} lên Đảng ủy xã.")
MESSAGE_PROPOSED = _("Đã gửi đề xuất xếp loại {unit} lên cấp trên.")
MESSAGE_DECIDED = _("Đã quyết định xếp loại {unit}: mức {level}.")
MESSAGE_BULK_APPROVED = _("Đã phê duyệt {count} đơn vị.")
MESSAGE_RETURNED = _("Đã trả lại {unit} kèm ý kiến.")
MESSAGE_NOT_RATED = _("Đã ghi {unit} không xếp loại.")
MESSAGE_REOPENED = _("Đã mở lại xếp loại của {unit}.")
MESSAGE_SET_SAVED = _("Đã lưu bộ tiêu chí “{title}”.")
MESSAGE_SET_ISSUED = _("Đã ban hành bộ tiêu chí “{title}”.")
MESSAGE_SET_COPIED = _("Đã sao chép sang năm {year}: bản nháp, hãy kiểm tra rồi ban hành.")
MESSAGE_NEW_VERSION = _("Đã tạo phiên bản {version}: bản nháp, sửa rồi ban hành.")
MESSAGE_MEMBERS_RATED = _("Đã ghi mức xếp loại của {count} thành viên.")
MESSAGE_NOTHING_CHOSEN = _("Chưa chọn mức nào.")


def _year_param(request, user) -> int:
    """The year asked for in ``?year=``, else the default year of the user."""
    value = request.GET.get("year", "")
    if value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    return selectors.default_year(user)


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404


class RatingsMixin(StaffRequiredMixin):
    """Portal staff with ``permission`` (the role's group): anonymous visitors go to the
    login page, other accounts get 403."""

    permission = "evaluations.view_evaluation"

    def test_func(self):
        user = self.request.user
        return user_is_portal_staff(user) and user.has_perm(self.permission)


def _evaluation(request, pk):
    return get_object_or_404(selectors.evaluation_get_queryset(request.user), pk=pk)


def _sheet_url(evaluation) -> str:
    return reverse("evaluations:sheet", args=[evaluation.unit_id, evaluation.year])


def _can(user, permission: str) -> bool:
    return user.has_perm(f"evaluations.{permission}")


# --- Overview and decision list ---------------------------------------------------------


class OverviewView(RatingsMixin, TemplateView):
    """Every unit of the user's area for a year, with its stage, totals and level;
    filters; one page of rows at a time."""

    template_name = "evaluations/overview.html"
    decision_mode = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = _year_param(self.request, user)
        overview = selectors.rating_overview(user=user, year=year, filters=self.request.GET)
        page = Paginator(overview.rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        years = sorted({*selectors.criteria_set_years(user), year}, reverse=True)
        context.update(
            year=year,
            years=years,
            overview=overview,
            filter=overview.filterset,
            page_obj=page,
            rows=selectors.attach_labels(page.object_list),
            stage_summary=[
                (key, label, overview.stage_counts.get(key, 0))
                for key, label in selectors.STAGE_LABELS.items()
            ],
            decision_mode=self.decision_mode,
            can_decide=_can(user, "decide"),
            can_self_assess=_can(user, "self_assess"),
        )
        return context


class DecisionListView(OverviewView):
    """The overview for deciders: tick the ratings waiting for a decision and approve
    them together (after a confirmation that shows the quota warnings)."""

    permission = "evaluations.decide"
    decision_mode = True


class BulkApproveView(RatingsMixin, View):
    """Approve the ticked ratings as proposed: first a confirmation page with the
    quota warnings, then ``evaluations_approve`` (all or nothing)."""

    permission = "evaluations.decide"
    template_name = "evaluations/bulk_confirm.html"

    def get(self, request):
        return redirect("evaluations:decision_list")

    def post(self, request):
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        candidates = list(
            selectors.evaluation_get_queryset(request.user).filter(stage=Stage.DECISION, pk__in=ids)
        )
        form = BulkSelectionForm(request.POST, evaluations=candidates)
        year = request.POST.get("year", "")
        chosen, warnings = [], []
        if form.is_valid():
            wanted = set(form.cleaned_data["ids"])
            chosen = [e for e in candidates if e.pk in wanted]
            if request.POST.get("confirm"):
                try:
                    services.evaluations_approve(acting_user=request.user, evaluations=chosen)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(request, str(MESSAGE_BULK_APPROVED).format(count=len(chosen)))
                    url = reverse("evaluations:decision_list")
                    return redirect(f"{url}?year={year}" if year.isdigit() else url)
            warnings = services.quota_warning(evaluations=chosen)
        for evaluation in chosen:
            evaluation.proposed_total_text = selectors.number_text(evaluation.proposed_total)
        return render(
            request,
            self.template_name,
            {"form": form, "chosen": chosen, "warnings": warnings, "year": year},
        )


# --- A unit's rating of a year: start, the self-assessment sheet -------------------------


class UnitRatingView(RatingsMixin, View):
    """A unit's rating page of the default year."""

    def get(self, request, unit_pk):
        unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
        return redirect("evaluations:sheet", unit.pk, selectors.default_year(request.user))


class SheetView(RatingsMixin, TemplateView):
    """The unit's self-assessment for a year: started on demand, then every item with
    its maximum, guidance, score field and evidence, the gates as yes/no; "Lưu nháp"
    keeps a partial draft, "Gửi" needs everything and hands it to the commune. Once
    sent the sheet is read-only, with the total and level."""

    template_name = "evaluations/sheet.html"

    def dispatch(self, request, *args, **kwargs):
        _check_year(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        user = self.request.user
        self.unit = get_object_or_404(
            units_visible_to(user).select_related("area", "commune"), pk=self.kwargs["unit_pk"]
        )
        self.year = self.kwargs["year"]
        self.evaluation = (
            selectors.evaluation_get_queryset(user).filter(unit=self.unit, year=self.year).first()
        )
        self.sheet = selectors.score_sheet(self.evaluation) if self.evaluation else None

    @property
    def editable(self) -> bool:
        return (
            self.evaluation is not None
            and self.evaluation.stage == Stage.SELF
            and _can(self.request.user, "self_assess")
        )

    def make_form(self, data=None, files=None):
        return ScoreSheetForm(
            data, files, sheet=self.sheet, stage=ScoreStage.SELF, with_evidence=True
        )

    def get(self, request, *args, **kwargs):
        self.load()
        form = self.make_form() if self.editable else None
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.load()
        if self.evaluation is None:
            raise Http404
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                self.save(form, submit=submit)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                message = MESSAGE_SELF_SUBMITTED if submit else MESSAGE_DRAFT_SAVED
                messages.success(request, str(message).format(unit=self.unit))
                return redirect(f"{request.path}#ket-qua")
        return self.render_to_response(self.get_context_data(form=form), status=200)

    def save(self, form, *, submit: bool) -> None:
        """Evidence first (it belongs to the draft), then the sheet, all or nothing;
        files stored for a transaction that rolled back are removed again."""
        user, evaluation = self.request.user, self.evaluation
        added: list[EvidenceFile] = []
        try:
            with transaction.atomic():
                removed = EvidenceFile.objects.filter(evaluation=evaluation, pk__in=form.removed())
                for evidence in removed:
                    services.evidence_remove(acting_user=user, evidence=evidence)
                for item, upload in form.uploads():
                    added.append(
                        services.evidence_add(
                            acting_user=user, evaluation=evaluation, item=item, file=upload
                        )
                    )
                services.evaluation_self_assess(
                    acting_user=user,
                    evaluation=evaluation,
                    scores=form.scores(),
                    gates=form.gates(),
                    submit=submit,
                )
        except Exception:
            for evidence in added:
                evidence.file.delete(save=False)
            raise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        criteria_set = None
        if self.evaluation is None:
            criteria_set = services.criteria_set_current(
                province_path_=province_path(self.unit.area_path),
                year=self.year,
                subject=services.subject_of_unit(self.unit),
            )
        context.update(
            unit=self.unit,
            year=self.year,
            evaluation=self.evaluation,
            sheet=self.sheet,
            criteria_set=criteria_set or (self.evaluation and self.evaluation.criteria_set),
            editable=self.editable,
            can_self_assess=_can(user, "self_assess"),
            can_propose=_can(user, "propose"),
            can_decide=_can(user, "decide"),
            years=[self.year - 1, self.year, self.year + 1],
        )
        return context


class StartView(RatingsMixin, View):
    """Open the unit's sheet for a year against the province's current criteria."""

    permission = "evaluations.self_assess"

    def post(self, request, unit_pk, year):
        _check_year(year)
        unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
        try:
            services.evaluation_start(acting_user=request.user, unit=unit, year=year)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(MESSAGE_STARTED).format(year=year, unit=unit))
        return redirect("evaluations:sheet", unit.pk, year)


class EvidenceView(RatingsMixin, View):
    """An evidence file, to users whose area covers the rating (404 otherwise)."""

    def get(self, request, pk):
        evidence = get_object_or_404(selectors.evidence_get_queryset(request.user), pk=pk)
        name = evidence.file.name.rsplit("/", 1)[-1]
        extension = services.evidence_extension(name)
        content_type = services.EVIDENCE_CONTENT_TYPES.get(extension) or (
            mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=extension not in services.EVIDENCE_CONTENT_TYPES, filename=name
        )
        return response


# --- The commune's proposal ---------------------------------------------------------------


class EvaluationPageMixin(RatingsMixin):
    """A page about one rating of the user's area (404 outside it)."""

    def load(self):
        self.evaluation = _evaluation(self.request, self.kwargs["pk"])
        self.sheet = selectors.score_sheet(self.evaluation)

    def base_context(self, **extra):
        user = self.request.user
        return {
            "evaluation": self.evaluation,
            "unit": self.evaluation.unit,
            "year": self.evaluation.year,
            "sheet": self.sheet,
            "can_propose": _can(user, "propose"),
            "can_decide": _can(user, "decide"),
            "can_reopen": _can(user, "reopen"),
            **extra,
        }


class ProposalView(EvaluationPageMixin, TemplateView):
    """The commune Party committee's proposal: the unit's scores beside fields that
    start from them; "Lưu nháp", "Gửi đề xuất"; or return the sheet to the unit."""

    template_name = "evaluations/proposal.html"

    @property
    def editable(self) -> bool:
        return self.evaluation.stage == Stage.PROPOSAL and _can(self.request.user, "propose")

    def make_form(self, data=None):
        return ScoreSheetForm(
            data, sheet=self.sheet, stage=ScoreStage.PROPOSAL, prefill=ScoreStage.SELF
        )

    def get(self, request, *args, **kwargs):
        self.load()
        form = self.make_form() if self.editable else None
        return self.render_to_response(self.base_context(form=form, return_form=return_form()))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.evaluation_propose(
                    acting_user=request.user,
                    evaluation=self.evaluation,
                    scores=form.scores(),
                    gates=form.gates(),
                    submit=submit,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                message = MESSAGE_PROPOSED if submit else MESSAGE_DRAFT_SAVED
                messages.success(request, str(message).format(unit=self.evaluation.unit))
                return redirect(f"{request.path}#ket-qua")
        return self.render_to_response(self.base_context(form=form, return_form=return_form()))


# --- Decisions ----------------------------------------------------------------------------


class DecisionView(EvaluationPageMixin, TemplateView):
    """One rating for the decider: the unit's, the commune's and the decision's scores
    side by side; approve as proposed, adjust (scores and a reason), return to the
    commune with a comment, or close as not rated. Provincial staff reopen a locked
    result here."""

    permission = "evaluations.decide"
    template_name = "evaluations/decision.html"

    def make_form(self, data=None):
        return AdjustForm(
            data, sheet=self.sheet, stage=ScoreStage.DECISION, prefill=ScoreStage.PROPOSAL
        )

    def context(self, form=None):
        return self.base_context(
            form=form,
            return_form=return_form(),
            not_rated_form=ReasonForm(label=_("Lý do không xếp loại")),
            reopen_form=ReasonForm(label=_("Lý do mở lại")),
        )

    def get(self, request, *args, **kwargs):
        self.load()
        form = self.make_form() if self.evaluation.stage == Stage.DECISION else None
        return self.render_to_response(self.context(form))

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                evaluation = services.evaluation_decide(
                    acting_user=request.user,
                    evaluation=self.evaluation,
                    scores=form.scores(),
                    gates=form.gates(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    str(MESSAGE_DECIDED).format(
                        unit=evaluation.unit, level=evaluation.decided_level
                    ),
                )
                return redirect("evaluations:decision", evaluation.pk)
        return self.render_to_response(self.context(form))


class ApproveView(RatingsMixin, View):
    """Approve one rating as proposed."""

    permission = "evaluations.decide"

    def post(self, request, pk):
        evaluation = _evaluation(request, pk)
        try:
            services.evaluation_decide(acting_user=request.user, evaluation=evaluation)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                str(MESSAGE_DECIDED).format(unit=evaluation.unit, level=evaluation.decided_level),
            )
        return redirect("evaluations:decision", evaluation.pk)


class ReasonActionView(RatingsMixin, TemplateView):
    """A step that needs a written reason (return, not rated, reopen): its own small
    page, which also shows the error when the reason is missing. The steps are the same
    for a unit's and a member's rating (``services.rating_*``); ``get_rating``,
    ``rating_name`` and ``success_url`` say which rating it is about."""

    template_name = "evaluations/reason_form.html"
    heading = ""
    submit_label = ""
    message = ""

    def make_form(self, data=None):
        return ReasonForm(data)

    def perform(self, rating, text):
        raise NotImplementedError

    def get_rating(self, pk):
        return _evaluation(self.request, pk)

    def rating_name(self, rating) -> str:
        return rating.unit.name

    def rating_unit(self, rating):
        return rating.unit

    def success_url(self, rating) -> str:
        if _can(self.request.user, "decide"):
            return reverse("evaluations:decision", args=[rating.pk])
        return _sheet_url(rating)

    def get(self, request, pk):
        rating = self.get_rating(pk)
        return self.render_to_response(self.context(rating, self.make_form()))

    def post(self, request, pk):
        rating = self.get_rating(pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.perform(rating, form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, str(self.message).format(unit=self.rating_name(rating)))
                return redirect(self.success_url(rating))
        return self.render_to_response(self.context(rating, form))

    def context(self, rating, form):
        return self.get_context_data(
            rating=rating,
            rating_name=self.rating_name(rating),
            unit=self.rating_unit(rating),
            year=rating.year,
            form=form,
            heading=self.heading,
            submit_label=self.submit_label,
            back_url=self.success_url(rating),
        )


class ReturnView(ReasonActionView):
    """Send a rating back one step with a required comment: a decision pending goes
    back to the commune (deciders), a proposal back to the unit (the commune)."""

    heading = _("Trả lại kèm ý kiến")
    submit_label = _("Trả lại")
    message = MESSAGE_RETURNED

    def make_form(self, data=None):
        return return_form(data)

    def perform(self, rating, text):
        services.rating_return(acting_user=self.request.user, rating=rating, comment=text)

    def success_url(self, rating) -> str:
        if _can(self.request.user, "decide") and rating.stage == Stage.PROPOSAL:
            return reverse("evaluations:decision_list") + f"?year={rating.year}"
        return _sheet_url(rating)


class NotRatedView(ReasonActionView):
    permission = "evaluations.decide"
    heading = _("Không xếp loại")
    submit_label = _("Ghi không xếp loại")
    message = MESSAGE_NOT_RATED

    def make_form(self, data=None):
        return ReasonForm(data, label=_("Lý do không xếp loại"))

    def perform(self, rating, text):
        services.rating_not_rated(acting_user=self.request.user, rating=rating, reason=text)


class ReopenView(ReasonActionView):
    permission = "evaluations.reopen"
    heading = _("Mở lại xếp loại đã khóa")
    submit_label = _("Mở lại")
    message = MESSAGE_REOPENED

    def make_form(self, data=None):
        return ReasonForm(data, label=_("Lý do mở lại"))

    def perform(self, rating, text):
        services.rating_reopen(acting_user=self.request.user, rating=rating, reason=text)


# --- Criteria sets ------------------------------------------------------------------------


class CriteriaListView(RatingsMixin, TemplateView):
    """The criteria sets of the user's province(s), by year and subject."""

    permission = "evaluations.view_criteriaset"
    template_name = "evaluations/criteria_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = self.request.GET.get("year", "")
        subject = self.request.GET.get("subject", "")
        year = int(year) if year.isdigit() else None
        subject = subject if subject in Subject.values else ""
        sets = list(selectors.criteria_set_list(user=user, year=year, subject=subject))
        for criteria_set in sets:
            criteria_set.is_used = selectors.is_used(criteria_set)
            criteria_set.manageable = selectors.can_manage(user, criteria_set)
        context.update(
            sets=sets,
            years=selectors.criteria_set_years(user),
            year=year,
            subject=subject,
            subjects=Subject.choices,
            can_manage=_can(user, "manage_criteria"),
        )
        return context


class CriteriaSetMixin(RatingsMixin):
    permission = "evaluations.view_criteriaset"

    def get_set(self):
        return get_object_or_404(
            selectors.criteria_set_get_queryset(self.request.user), pk=self.kwargs["pk"]
        )


class CriteriaManageMixin(CriteriaSetMixin):
    """Changes to a set: the permission (403), a province the scope covers (404)."""

    permission = "evaluations.manage_criteria"

    def get_set(self):
        return get_object_or_404(
            selectors.criteria_sets_managed_by(self.request.user).select_related("province"),
            pk=self.kwargs["pk"],
        )


class CriteriaDetailView(CriteriaSetMixin, TemplateView):
    """A set with its groups, items, gates and scale; what may be done with it."""

    template_name = "evaluations/criteria_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria_set = selectors.criteria_set_contents(self.get_set())
        for group in criteria_set.group_list:
            for item in group.items.all():
                item.max_text = selectors.number_text(item.max_score)
        for level in criteria_set.level_list:
            level.min_text = selectors.number_text(level.min_score)
        context.update(
            criteria_set=criteria_set,
            max_total_text=selectors.number_text(criteria_set.max_total),
            is_used=services.criteria_set_is_used(criteria_set),
            manageable=selectors.can_manage(self.request.user, criteria_set),
            copy_form=CopyForm(initial={"year": criteria_set.year + 1}),
        )
        return context


DEFAULT_GROUPS = [
    {"code": "1", "title": "Tiêu chí chung"},
    {"code": "2", "title": "Kết quả thực hiện nhiệm vụ"},
]


class CriteriaEditView(CriteriaManageMixin, TemplateView):
    """Create a set, or edit a set that no rating has used yet, on one page: heading,
    groups, items, gates and scale."""

    template_name = "evaluations/criteria_form.html"
    creating = False

    def editor(self, data=None):
        user = self.request.user
        if self.creating:
            provinces = (
                areas_visible_to(user).filter(level=Level.PROVINCE).order_by("edition", "code")
            )
            return CriteriaEditor(
                data,
                provinces=provinces,
                initial={
                    "heading": {"year": selectors.default_year(user)},
                    "groups": DEFAULT_GROUPS,
                    "scale": ScaleForm.initial_for(),
                },
            )
        self.criteria_set = selectors.criteria_set_contents(self.get_set())
        return CriteriaEditor(
            data,
            criteria_set=self.criteria_set,
            initial=CriteriaEditor.initial_from(self.criteria_set),
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.editor())

    def post(self, request, *args, **kwargs):
        editor = self.editor(request.POST)
        if editor.is_valid():
            try:
                criteria_set = self.save(editor.data())
            except ValidationError as exc:
                editor.add_service_error(exc)
            else:
                messages.success(request, str(MESSAGE_SET_SAVED).format(title=criteria_set.title))
                return redirect("evaluations:criteria_detail", criteria_set.pk)
        return self.render(editor)

    def save(self, data):
        user = self.request.user
        if self.creating:
            return services.criteria_set_create(acting_user=user, **data)
        with transaction.atomic():
            return services.criteria_set_update(
                acting_user=user, criteria_set=self.criteria_set, **data
            )

    def render(self, editor):
        return self.render_to_response(
            self.get_context_data(
                editor=editor,
                creating=self.creating,
                criteria_set=getattr(self, "criteria_set", None),
            )
        )


class CriteriaCreateView(CriteriaEditView):
    creating = True

    def get_set(self):
        raise Http404


class CriteriaIssueView(CriteriaManageMixin, View):
    def post(self, request, pk):
        criteria_set = self.get_set()
        try:
            services.criteria_set_issue(acting_user=request.user, criteria_set=criteria_set)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(MESSAGE_SET_ISSUED).format(title=criteria_set.title))
        return redirect("evaluations:criteria_detail", criteria_set.pk)


class CriteriaNewVersionView(CriteriaManageMixin, View):
    def post(self, request, pk):
        source = self.get_set()
        copy = services.criteria_set_new_version(acting_user=request.user, source=source)
        messages.success(request, str(MESSAGE_NEW_VERSION).format(version=copy.version))
        return redirect("evaluations:criteria_update", copy.pk)


class CriteriaCopyView(CriteriaManageMixin, TemplateView):
    """Start another year from this set (by default the next year)."""

    template_name = "evaluations/criteria_copy.html"

    def get(self, request, pk):
        source = self.get_set()
        form = CopyForm(initial={"year": source.year + 1})
        return self.render_to_response(self.get_context_data(source=source, form=form))

    def post(self, request, pk):
        source = self.get_set()
        form = CopyForm(request.POST)
        if form.is_valid():
            try:
                copy = services.criteria_set_copy(
                    acting_user=request.user, source=source, year=form.cleaned_data["year"]
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, str(MESSAGE_SET_COPIED).format(year=copy.year))
                return redirect("evaluations:criteria_update", copy.pk)
        return self.render_to_response(self.get_context_data(source=source, form=form))


# --- Member ratings -----------------------------------------------------------------------


class MemberRatingsView(RatingsMixin, TemplateView):
    """A roster's member ratings for a year: each member's level at every step, and
    one form that records the current step of every member the user may rate."""

    permission = "evaluations.view_memberrating"
    template_name = "evaluations/member_ratings.html"

    def load(self):
        _check_year(self.kwargs["year"])
        user = self.request.user
        self.unit = get_object_or_404(
            units_visible_to(user).select_related("area", "commune"), pk=self.kwargs["unit_pk"]
        )
        self.year = self.kwargs["year"]
        self.rows = selectors.roster_ratings(user=user, unit=self.unit, year=self.year)

    def make_form(self, data=None):
        return RosterRatingForm(data, rows=self.rows, user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            levels = form.levels()
            if not levels:
                messages.info(request, str(MESSAGE_NOTHING_CHOSEN))
                return redirect(request.path)
            try:
                done = services.member_ratings_step(
                    acting_user=request.user, year=self.year, levels=levels
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    field = f"level_{key}"
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, str(MESSAGE_MEMBERS_RATED).format(count=len(done)))
                return redirect(request.path)
        return self.render(form)

    def render(self, form):
        labels = dict(Stage.choices)
        for row in self.rows:
            row.stage_label = labels[row.stage] if row.rating else _("Chưa đánh giá")
        return self.render_to_response(
            self.get_context_data(
                unit=self.unit,
                year=self.year,
                rows=self.rows,
                form=form,
                any_editable=any(r.editable for r in self.rows),
                years=[self.year - 1, self.year, self.year + 1],
            )
        )


# --- One member's rating ------------------------------------------------------------------


def _member_rating(request, pk):
    return get_object_or_404(selectors.member_rating_get_queryset(request.user), pk=pk)


def _member_rating_url(rating) -> str:
    return reverse("evaluations:member_rating", args=[rating.pk])


#: The written reasons a change of a rating may bring, with their labels.
CHANGE_NOTES = (
    ("return_comment", _("Ý kiến khi trả lại:")),
    ("adjust_reason", _("Lý do điều chỉnh:")),
    ("not_rated_reason", _("Lý do không xếp loại:")),
    ("reopen_reason", _("Lý do mở lại:")),
)


def _member_rating_changes(rating, limit=30) -> list:
    """The rating's changes, newest first, each with the step it left the rating at and
    the reasons written with it (a reason is shown where it first appears)."""
    changes = list(rating.history.select_related("history_user").order_by("history_date"))
    before = {}
    for change in changes:
        change.notes = [
            (label, getattr(change, field))
            for field, label in CHANGE_NOTES
            if getattr(change, field) and getattr(change, field) != before.get(field)
        ]
        before = {field: getattr(change, field) for field, _label in CHANGE_NOTES}
    return changes[::-1][:limit]


class MemberRatingView(RatingsMixin, TemplateView):
    """One member's rating of a year: each step with its level, who took it and when,
    the comments and reasons, the changes so far; and the steps with a written reason
    the user may take (return one step, not rated, reopen), as for a unit's rating."""

    permission = "evaluations.view_memberrating"
    template_name = "evaluations/member_rating.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rating = _member_rating(self.request, self.kwargs["pk"])
        membership = rating.membership
        steps = [
            (_("Tự đánh giá"), rating.self_level, rating.self_by, rating.self_at),
            (
                _("Đảng ủy xã đề xuất"),
                rating.proposed_level,
                rating.proposed_by,
                rating.proposed_at,
            ),
            (_("Cấp trên quyết định"), rating.decided_level, rating.decided_by, rating.decided_at),
        ]
        context.update(
            rating=rating,
            evaluation=rating,
            membership=membership,
            unit=membership.unit,
            year=rating.year,
            steps=steps,
            changes=_member_rating_changes(rating),
            can_return=rating.stage in (Stage.PROPOSAL, Stage.DECISION)
            and selectors.can_step(user, rating.stage),
            can_not_rated=not rating.is_locked and _can(user, "decide"),
            can_reopen=rating.is_locked and _can(user, "reopen"),
            return_form=return_form(),
            not_rated_form=ReasonForm(label=_("Lý do không xếp loại")),
            reopen_form=ReasonForm(label=_("Lý do mở lại")),
        )
        return context


class MemberRatingActionMixin:
    """The reason-steps of ``ReasonActionView`` on a member's rating: the rating of the
    user's area (404 outside it), back to its page afterwards."""

    def get_rating(self, pk):
        return _member_rating(self.request, pk)

    def rating_name(self, rating) -> str:
        return rating.membership.person.full_name

    def rating_unit(self, rating):
        return rating.membership.unit

    def success_url(self, rating) -> str:
        return _member_rating_url(rating)


class MemberReturnView(MemberRatingActionMixin, ReturnView):
    permission = "evaluations.view_memberrating"


class MemberNotRatedView(MemberRatingActionMixin, NotRatedView):
    pass


class MemberReopenView(MemberRatingActionMixin, ReopenView):
    pass
