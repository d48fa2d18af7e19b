"""Criteria sets: the list, one set, the editor, issuing, copying to another year and
new versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.selectors import areas_visible_to
from evaluations import stages
from evaluations.choices import Subject
from evaluations.forms.criteria import CopyForm, CriteriaEditor, RoundForm, ScaleForm
from evaluations.rounds import ROUND_FIELDS
from evaluations.scoring import number_text
from evaluations.selectors.criteria import (
    criteria_set_contents,
    criteria_set_list,
    criteria_set_years,
    default_year,
    is_used,
)
from evaluations.selectors.scope import (
    can_manage,
    criteria_set_get_queryset,
    criteria_sets_managed_by,
)
from evaluations.services.criteria import (
    copy_targets,
    criteria_set_copy,
    criteria_set_create,
    criteria_set_is_used,
    criteria_set_issue,
    criteria_set_new_version,
    criteria_set_schedule,
    criteria_set_update,
)
from evaluations.views.base import RatingsMixin
from units.choices import Level

MESSAGE_SET_SAVED = _("Đã lưu bộ tiêu chí “{title}”.")
MESSAGE_SET_ISSUED = _("Đã ban hành bộ tiêu chí “{title}”.")
MESSAGE_SET_COPIED = _("Đã sao chép sang năm {year}: bản nháp, hãy kiểm tra rồi ban hành.")
MESSAGE_ROUND_SAVED = _("Đã lưu đợt đánh giá.")
MESSAGE_NEW_VERSION = _("Đã tạo phiên bản {version}: bản nháp, sửa rồi ban hành.")


class CriteriaListView(RatingsMixin, TemplateView):
    """The criteria sets of the user's province(s), by year and subject."""

    permission = stages.VIEW_CRITERIA
    template_name = "evaluations/criteria_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = self.request.GET.get("year", "")
        subject = self.request.GET.get("subject", "")
        year = int(year) if year.isdigit() else None
        subject = subject if subject in Subject.values else ""
        sets = list(criteria_set_list(user=user, year=year, subject=subject))
        for criteria_set in sets:
            criteria_set.is_used = is_used(criteria_set)
            criteria_set.manageable = can_manage(user, criteria_set)
        context.update(
            sets=sets,
            years=criteria_set_years(user),
            year=year,
            subject=subject,
            subjects=Subject.choices,
            can_manage=user.has_perm(stages.MANAGE_CRITERIA),
        )
        return context


class CriteriaSetMixin(RatingsMixin):
    permission = stages.VIEW_CRITERIA

    def get_set(self):
        return get_object_or_404(criteria_set_get_queryset(self.request.user), pk=self.kwargs["pk"])


class CriteriaManageMixin(CriteriaSetMixin):
    """Changes to a set: the permission (403), a province the scope covers (404)."""

    permission = stages.MANAGE_CRITERIA

    def get_set(self):
        return get_object_or_404(
            criteria_sets_managed_by(self.request.user).select_related("province"),
            pk=self.kwargs["pk"],
        )


class CriteriaDetailView(CriteriaSetMixin, TemplateView):
    """A set with its groups, items, gates and scale; what may be done with it."""

    template_name = "evaluations/criteria_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria_set = criteria_set_contents(self.get_set())
        for group in criteria_set.group_list:
            for item in group.items.all():
                item.max_text = number_text(item.max_score)
        for level in criteria_set.level_list:
            level.min_text = number_text(level.min_score)
        context.update(
            criteria_set=criteria_set,
            max_total_text=number_text(criteria_set.max_total),
            is_used=criteria_set_is_used(criteria_set),
            manageable=can_manage(self.request.user, criteria_set),
            copy_form=CopyForm(initial={"year": criteria_set.year + 1}),
            round_form=RoundForm(
                initial={f: getattr(criteria_set, f) for f in ROUND_FIELDS}, prefix="round"
            ),
        )
        return context


class CriteriaRoundView(CriteriaManageMixin, View):
    """POST: the set's rating round (opening day, deadlines); a used set too."""

    def post(self, request, pk):
        criteria_set = self.get_set()
        form = RoundForm(request.POST, prefix="round")
        if form.is_valid():
            try:
                criteria_set_schedule(
                    acting_user=request.user, criteria_set=criteria_set, **form.cleaned_data
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, str(MESSAGE_ROUND_SAVED))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect("evaluations:criteria_detail", criteria_set.pk)


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
                    "heading": {"year": default_year(user)},
                    "groups": DEFAULT_GROUPS,
                    "scale": ScaleForm.initial_for(),
                },
            )
        self.criteria_set = criteria_set_contents(self.get_set())
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
            return criteria_set_create(acting_user=user, **data)
        return criteria_set_update(acting_user=user, criteria_set=self.criteria_set, **data)

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


class CriteriaIssueView(CriteriaManageMixin, TemplateView):
    """Issuing a set cannot be undone once a rating uses it: a page asks first (what the
    set holds, what issuing means); only its "confirm" button issues."""

    template_name = "evaluations/criteria_issue.html"

    def get(self, request, pk):
        criteria_set = criteria_set_contents(self.get_set())
        if criteria_set.issued:
            return redirect("evaluations:criteria_detail", criteria_set.pk)
        return self.render_to_response(self.get_context_data(criteria_set=criteria_set))

    def post(self, request, pk):
        if not request.POST.get("confirm"):
            return self.get(request, pk)
        criteria_set = self.get_set()
        try:
            criteria_set_issue(acting_user=request.user, criteria_set=criteria_set)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(MESSAGE_SET_ISSUED).format(title=criteria_set.title))
        return redirect("evaluations:criteria_detail", criteria_set.pk)


class CriteriaNewVersionView(CriteriaManageMixin, View):
    def post(self, request, pk):
        source = self.get_set()
        copy = criteria_set_new_version(acting_user=request.user, source=source)
        messages.success(request, str(MESSAGE_NEW_VERSION).format(version=copy.version))
        return redirect("evaluations:criteria_update", copy.pk)


class CriteriaCopyView(CriteriaManageMixin, TemplateView):
    """Start another year from this set (by default the next year)."""

    template_name = "evaluations/criteria_copy.html"

    def get(self, request, pk):
        source = self.get_set()
        initial = {"year": source.year + 1, "period": source.period}
        form = CopyForm(initial=initial, provinces=copy_targets(source))
        return self.render_to_response(self.get_context_data(source=source, form=form))

    def post(self, request, pk):
        source = self.get_set()
        form = CopyForm(request.POST, provinces=copy_targets(source))
        if form.is_valid():
            try:
                copy = criteria_set_copy(
                    acting_user=request.user,
                    source=source,
                    year=form.cleaned_data["year"],
                    period=form.cleaned_data["period"],
                    province=form.cleaned_data.get("province"),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, str(MESSAGE_SET_COPIED).format(year=copy.year))
                return redirect("evaluations:criteria_update", copy.pk)
        return self.render_to_response(self.get_context_data(source=source, form=form))
