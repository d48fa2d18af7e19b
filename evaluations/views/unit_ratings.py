"""A unit's rating of a year: its self-assessment sheet (with evidence), the commune's
proposal and the decision."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.selectors import units_visible_to
from evaluations import stages
from evaluations.chains import chain_of_unit
from evaluations.choices import ScoreStage, Stage
from evaluations.forms.scores import AdjustForm, ScoreSheetForm
from evaluations.forms.steps import not_rated_form, reopen_form, return_form
from evaluations.periods import period_label, period_query
from evaluations.rounds import is_late, late_steps
from evaluations.selectors.criteria import default_year
from evaluations.selectors.scope import evaluation_get_queryset, evidence_get_queryset
from evaluations.selectors.sheet import score_sheet
from evaluations.services.criteria import criteria_set_current, subject_of_unit
from evaluations.services.evidence import (
    EVIDENCE_CONTENT_TYPES,
    evaluation_sheet_save,
    evidence_add,
    evidence_extension,
)
from evaluations.services.ratings import evaluation_decide, evaluation_propose, evaluation_start
from evaluations.views.base import (
    MESSAGE_DRAFT_SAVED,
    RatingsMixin,
    check_year,
    evaluation_or_404,
    period_param,
)
from portal.paths import province_path

MESSAGE_STARTED = _("Đã mở phiếu tự đánh giá {period} của {unit}.")
MESSAGE_SELF_SUBMITTED = _("Đã gửi tự đánh giá của {unit} lên Đảng ủy xã.")
MESSAGE_PROPOSED = _("Đã gửi đề xuất xếp loại {unit} lên cấp trên.")
MESSAGE_DECIDED = _("Đã quyết định xếp loại {unit}: mức {level}.")
MESSAGE_EVIDENCE_KEPT = _(
    "Đã lưu tệp minh chứng {names} cùng bản nháp; điểm chưa được lưu vì còn lỗi bên dưới."
)
ERROR_EVIDENCE_NOT_KEPT = _("Tệp {name} chưa được lưu: hãy chọn lại tệp sau khi sửa lỗi.")


class UnitRatingView(RatingsMixin, View):
    """A unit's rating page of the default year."""

    def get(self, request, unit_pk):
        unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
        return redirect("evaluations:sheet", unit.pk, default_year(request.user))


class SheetView(RatingsMixin, TemplateView):
    """The unit's self-assessment for a year: started on demand, then every item with
    its maximum, guidance, score field and evidence, the gates as yes/no; "Lưu nháp"
    keeps a partial draft, "Gửi" needs everything and hands it to the commune. Once
    sent the sheet is read-only, with the total and level."""

    template_name = "evaluations/sheet.html"

    def dispatch(self, request, *args, **kwargs):
        check_year(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        user = self.request.user
        self.unit = get_object_or_404(
            units_visible_to(user).select_related("area", "commune"), pk=self.kwargs["unit_pk"]
        )
        self.year = self.kwargs["year"]
        self.period = period_param(self.request)
        self.evaluation = (
            evaluation_get_queryset(user)
            .filter(unit=self.unit, year=self.year, period=self.period)
            .first()
        )
        self.sheet = score_sheet(self.evaluation) if self.evaluation else None

    @property
    def editable(self) -> bool:
        return stages.can_type(self.request.user, self.evaluation, Stage.SELF)

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
                evaluation_sheet_save(
                    acting_user=request.user,
                    evaluation=self.evaluation,
                    scores=form.scores(),
                    gates=form.gates(),
                    submit=submit,
                    uploads=form.uploads(),
                    removed=form.removed(),
                    reasons=form.reasons(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                message = MESSAGE_SELF_SUBMITTED if submit else MESSAGE_DRAFT_SAVED
                messages.success(request, str(message).format(unit=self.unit))
                return redirect(f"{request.path}{period_query(self.period)}#ket-qua")
        self.keep_evidence(form)
        return self.render_to_response(self.get_context_data(form=form), status=200)

    def keep_evidence(self, form) -> None:
        """The sheet was not saved (a score out of range, a submit with items missing):
        its valid evidence files are stored with the draft anyway, and the page says
        so, since a browser never re-sends a chosen file; a file that cannot be stored
        gets an error beside its field asking to choose it again."""
        kept = []
        for item, upload in form.uploads():
            try:
                kept.append(
                    evidence_add(
                        acting_user=self.request.user,
                        evaluation=self.evaluation,
                        item=item,
                        file=upload,
                    )
                )
            except (ValidationError, PermissionDenied):
                form.add_error(
                    f"evidence_{item.pk}", str(ERROR_EVIDENCE_NOT_KEPT).format(name=upload.name)
                )
        if kept:
            names = ", ".join(e.file.name.rsplit("/", 1)[-1] for e in kept)
            messages.warning(self.request, str(MESSAGE_EVIDENCE_KEPT).format(names=names))
            self.sheet = form.sheet = score_sheet(self.evaluation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        criteria_set = None
        if self.evaluation is None:
            criteria_set = criteria_set_current(
                province_path_=province_path(self.unit.area_path),
                year=self.year,
                subject=subject_of_unit(self.unit),
                period=self.period,
            )
        context.update(
            unit=self.unit,
            year=self.year,
            period=self.period,
            period_label=period_label(self.year, self.period),
            late_steps=late_steps(self.evaluation) if self.evaluation else [],
            is_late=bool(self.evaluation) and is_late(self.evaluation, timezone.localdate()),
            evaluation=self.evaluation,
            sheet=self.sheet,
            criteria_set=criteria_set or (self.evaluation and self.evaluation.criteria_set),
            editable=self.editable,
            # "Bắt đầu tự đánh giá" for whoever takes the unit's self-assessment (its
            # chain, one query, asked only while there is nothing to open yet).
            can_self_assess=self.evaluation is None
            and stages.takes_in(user, chain_of_unit(self.unit), Stage.SELF),
            can_propose=user.has_perm(stages.PROPOSE),
            can_decide=user.has_perm(stages.DECIDE),
            years=[self.year - 1, self.year, self.year + 1],
        )
        return context


class StartView(RatingsMixin, View):
    """Open the unit's sheet for a year against the province's current criteria."""

    permission = stages.SELF_ASSESS

    def post(self, request, unit_pk, year):
        check_year(year)
        unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
        period = period_param(request)
        try:
            evaluation_start(acting_user=request.user, unit=unit, year=year, period=period)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, str(MESSAGE_STARTED).format(period=period_label(year, period), unit=unit)
            )
        url = reverse("evaluations:sheet", args=[unit.pk, year])
        return redirect(url + period_query(period))


class EvidenceView(RatingsMixin, View):
    """An evidence file, to users whose area covers the rating (404 otherwise)."""

    def get(self, request, pk):
        evidence = get_object_or_404(evidence_get_queryset(request.user), pk=pk)
        name = evidence.file.name.rsplit("/", 1)[-1]
        extension = evidence_extension(name)
        content_type = EVIDENCE_CONTENT_TYPES.get(extension) or (
            mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=extension not in EVIDENCE_CONTENT_TYPES, filename=name
        )
        return response


class EvaluationPageMixin(RatingsMixin):
    """A page about one rating of the user's area (404 outside it)."""

    def load(self):
        self.evaluation = evaluation_or_404(self.request, self.kwargs["pk"])
        self.sheet = score_sheet(self.evaluation)

    def base_context(self, **extra):
        user = self.request.user
        return {
            "evaluation": self.evaluation,
            "unit": self.evaluation.unit,
            "year": self.evaluation.year,
            "sheet": self.sheet,
            "can_propose": user.has_perm(stages.PROPOSE),
            "can_decide": user.has_perm(stages.DECIDE),
            "can_close": stages.can_close(user, self.evaluation),
            "can_reopen": stages.can_reopen(user, self.evaluation),
            **extra,
        }


class ProposalView(EvaluationPageMixin, TemplateView):
    """The commune Party committee's proposal: the unit's scores beside fields that
    start from them; "Lưu nháp", "Gửi đề xuất"; or return the sheet to the unit."""

    template_name = "evaluations/proposal.html"

    @property
    def editable(self) -> bool:
        return stages.can_type(self.request.user, self.evaluation, Stage.PROPOSAL)

    def make_form(self, data=None):
        return ScoreSheetForm(
            data, sheet=self.sheet, stage=ScoreStage.PROPOSAL, prefill=ScoreStage.SELF
        )

    def render_with(self, form=None, **forms):
        """The page; ``forms``: a step's form bound with its errors (``origin_page``)."""
        if form is None and self.editable:
            form = self.make_form()
        forms.setdefault("return_form", return_form(rating=self.evaluation))
        return self.render_to_response(self.base_context(form=form, **forms))

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_with()

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                evaluation_propose(
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
        return self.render_with(form)


class DecisionView(EvaluationPageMixin, TemplateView):
    """One rating for the decider: the unit's, the commune's and the decision's scores
    side by side; approve as proposed, adjust (scores and a reason), return to the
    commune with a comment, or close as not rated. Provincial staff reopen a locked
    result here."""

    permission = stages.DECIDE
    template_name = "evaluations/decision.html"

    def make_form(self, data=None):
        return AdjustForm(
            data, sheet=self.sheet, stage=ScoreStage.DECISION, prefill=ScoreStage.PROPOSAL
        )

    def context(self, form=None, **forms):
        forms.setdefault("return_form", return_form(rating=self.evaluation))
        forms.setdefault("not_rated_form", not_rated_form())
        forms.setdefault("reopen_form", reopen_form())
        return self.base_context(form=form, **forms)

    def render_with(self, **forms):
        """The page; ``forms``: a step's form bound with its errors (``origin_page``)."""
        form = (
            self.make_form()
            if stages.can_type(self.request.user, self.evaluation, Stage.DECISION)
            else None
        )
        return self.render_to_response(self.context(form, **forms))

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_with()

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                evaluation = evaluation_decide(
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

    permission = stages.DECIDE

    def post(self, request, pk):
        evaluation = evaluation_or_404(request, pk)
        try:
            evaluation_decide(acting_user=request.user, evaluation=evaluation)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                str(MESSAGE_DECIDED).format(unit=evaluation.unit, level=evaluation.decided_level),
            )
        return redirect("evaluations:decision", evaluation.pk)
