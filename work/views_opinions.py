"""Citizens' opinions pages (staff, /can-bo/y-kien/): receive, follow each step to an
answer, the queues (new, forwarded and waiting, overdue, hot spots), and the province's
number of days to answer. Thin: reads through ``work.selectors`` (404 outside the
user's area), each step through its service in ``work.services_opinions``."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from members.views import XLSX_CONTENT_TYPE, ServiceFormView
from portal.forms import ServiceForm
from work import selectors
from work import services_opinions as steps
from work.choices import UNANSWERED, OpinionStatus, Queue
from work.filtersets import OpinionFilterSet, opinion_filter
from work.forms import (
    AnswerForm,
    CitizenRequestForm,
    CloseForm,
    ContactForm,
    ForwardForm,
    HotSpotFlagForm,
    HotSpotResolveForm,
    OpinionForm,
    OverdueDaysForm,
    ReturnForm,
)
from work.views import LIST_PAGE_SIZE, UnitFormView, WorkMixin, filters_typed

MESSAGE_RECEIVED = _("Đã ghi ý kiến của {unit}; hạn trả lời {date}.")
MESSAGE_SAVED = _("Đã lưu: {step}.")
MESSAGE_SETTINGS = _("{province}: ý kiến phải được trả lời trong {days} ngày.")


class OpinionListView(WorkMixin, FilterView):
    """Every opinion of the user's area (newest first), or one queue of them (``queue``
    in the URL: overdue ones oldest due first), filtered and paged."""

    permission = "work.view_opinion"
    template_name = "work/opinion_list.html"
    filterset_class = OpinionFilterSet
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "opinions"

    def dispatch(self, request, *args, **kwargs):
        queue = kwargs.get("queue")
        if queue is not None and queue not in Queue.values:
            raise Http404
        self.queue = Queue(queue) if queue else None
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_filterset(self, filterset_class):
        return opinion_filter(
            self.request.user, self.request.GET, queue=self.queue, today=self.today
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            queue=self.queue,
            queues=[(q.value, q.label) for q in Queue],
            today=self.today,
            filtered=filters_typed(self.request),
        )
        return context


#: The opinions a citizen's request page lists at most (the download has them all).
CITIZEN_LIST_LIMIT = 100


class CitizenRequestView(WorkMixin, FormView):
    """A citizen asks what the portal holds about them: staff type their phone and/or
    name (POST, so neither lands in a URL or a log), see the matching opinions of their
    own area (``work.citizen_data``), and download them with their history as one
    .xlsx (the ``download`` button), recorded as an answered request. A download that
    finds nothing in the user's area is a 404, like an opinion outside it."""

    permission = "work.view_opinion"
    template_name = "work/citizen_request.html"
    form_class = CitizenRequestForm

    def form_valid(self, form):
        from work.citizen_data import citizen_opinions

        data = form.cleaned_data
        query = citizen_opinions(user=self.request.user, phone=data["phone"], name=data["name"])
        if "download" in self.request.POST:
            return self.download(list(query))
        # The page lists the newest CITIZEN_LIST_LIMIT (a common name over a province's
        # years); the download always holds them all.
        shown = list(query[: CITIZEN_LIST_LIMIT + 1])
        total = len(shown) if len(shown) <= CITIZEN_LIST_LIMIT else query.count()
        return self.render_to_response(
            self.get_context_data(form=form, opinions=shown[:CITIZEN_LIST_LIMIT], total=total)
        )

    def download(self, opinions):
        from audit.choices import EXPORT_SUBJECT_ACCESS
        from audit.services import record_export
        from work.citizen_data import citizen_workbook

        if not opinions:
            raise Http404
        content, rows = citizen_workbook(opinions)
        # The opinions answered, not the name or phone searched: the record of a request
        # must not become one more copy of the personal data.
        record_export(
            user=self.request.user,
            filters={"opinions": sorted(o.pk for o in opinions)},
            rows=rows,
            fmt="xlsx",
            what=EXPORT_SUBJECT_ACCESS,
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        name = str(_("du-lieu-nguoi-dan-{pk}.xlsx")).format(pk=opinions[0].pk)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "no-store"
        return response


class OpinionCreateView(UnitFormView):
    """Record an opinion a unit received (the citizen's name and phone optional)."""

    permission = "work.add_opinion"
    template_name = "work/opinion_form.html"
    form_class = OpinionForm

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def perform(self, form):
        opinion = steps.opinion_receive(
            unit=self.object, acting_user=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            str(MESSAGE_RECEIVED).format(
                unit=self.object, date=opinion.due_on.strftime("%d/%m/%Y")
            ),
        )
        return opinion


class OpinionDetailView(WorkMixin, DetailView):
    """One opinion: what was received (and, for staff of the area, from whom), each step
    taken, the due date and how late it is, the hot spot, and the next steps."""

    permission = "work.view_opinion"
    template_name = "work/opinion_detail.html"
    context_object_name = "opinion"

    def get_queryset(self):
        return selectors.opinion_get_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opinion, today = self.object, timezone.localdate()
        status = opinion.status
        context.update(
            today=today,
            overdue=opinion.overdue_on(today),
            days_late=opinion.days_late(today),
            can_change=self.request.user.has_perm("work.change_opinion"),
            can_forward=status in UNANSWERED,
            can_answer=status in UNANSWERED,
            can_return=status == OpinionStatus.ANSWERED,
            can_close=status in (OpinionStatus.ANSWERED, OpinionStatus.RETURNED),
            can_edit=status != OpinionStatus.CLOSED,
        )
        return context


class StepView(WorkMixin, ServiceFormView):
    """One step of an opinion (a form, then its service); ``allowed(opinion)`` says
    whether the step fits the opinion now (else the page says why instead of the form;
    the service refuses it anyway)."""

    permission = "work.change_opinion"
    template_name = "work/opinion_step.html"
    context_object_name = "opinion"
    title = ""
    notice = ""
    #: Said above the form (a confirmation), when the step fits.
    explain = ""
    submit = _("Lưu")
    danger = False

    def get_queryset(self):
        return selectors.opinion_get_queryset(self.request.user)

    def get_initial(self):
        return {name: timezone.localdate() for name in self.day_fields}

    day_fields: tuple[str, ...] = ()

    def allowed(self, opinion) -> bool:
        return True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            title=self.title,
            notice="" if self.allowed(self.object) else self.notice,
            explain=self.explain,
            submit=self.submit,
            danger=self.danger,
        )

    def perform(self, form):
        opinion = self.step(form.cleaned_data)
        messages.success(self.request, str(MESSAGE_SAVED).format(step=self.title))
        return opinion


class OpinionUpdateView(StepView):
    form_class = OpinionForm
    title = _("Sửa thông tin tiếp nhận")
    notice = _("Ý kiến đã kết thúc: không sửa được nữa.")

    def get_initial(self):
        return steps.received_values(self.object)

    def allowed(self, opinion):
        return opinion.status != OpinionStatus.CLOSED

    def step(self, data):
        return steps.opinion_update(opinion=self.object, acting_user=self.request.user, **data)


class OpinionForwardView(StepView):
    form_class = ForwardForm
    title = _("Chuyển ý kiến")
    notice = _("Ý kiến đã có trả lời: không cần chuyển nữa.")
    submit = _("Chuyển")
    day_fields = ("forwarded_on",)

    def allowed(self, opinion):
        return opinion.status in UNANSWERED

    def step(self, data):
        return steps.opinion_forward(opinion=self.object, acting_user=self.request.user, **data)


class OpinionAnswerView(StepView):
    form_class = AnswerForm
    title = _("Ghi trả lời")
    notice = _("Ý kiến đã có trả lời.")
    submit = _("Ghi trả lời")
    day_fields = ("answered_on",)

    def allowed(self, opinion):
        return opinion.status in UNANSWERED

    def step(self, data):
        return steps.opinion_answer(opinion=self.object, acting_user=self.request.user, **data)


class OpinionReturnView(StepView):
    form_class = ReturnForm
    title = _("Thông tin lại cho người dân")
    notice = _("Ý kiến chưa có trả lời: hãy ghi câu trả lời trước.")
    day_fields = ("returned_on",)

    def allowed(self, opinion):
        return opinion.status in (OpinionStatus.ANSWERED, OpinionStatus.RETURNED)

    def step(self, data):
        return steps.opinion_return(opinion=self.object, acting_user=self.request.user, **data)


class OpinionCloseView(StepView):
    form_class = CloseForm
    title = _("Kết thúc ý kiến")
    notice = _("Chỉ kết thúc được ý kiến đã có trả lời.")
    submit = _("Kết thúc")
    day_fields = ("closed_on",)

    def allowed(self, opinion):
        return opinion.status in (OpinionStatus.ANSWERED, OpinionStatus.RETURNED)

    def step(self, data):
        return steps.opinion_close(opinion=self.object, acting_user=self.request.user, **data)


class HotSpotFlagView(StepView):
    form_class = HotSpotFlagForm
    title = _("Đánh dấu điểm nóng")
    submit = _("Đánh dấu")
    day_fields = ("since",)

    def get_initial(self):
        opinion = self.object
        if opinion.hot_spot_open:
            return {
                "severity": opinion.hot_spot_severity,
                "since": opinion.hot_spot_since,
                "note": opinion.hot_spot_note,
            }
        return super().get_initial()

    def step(self, data):
        return steps.hot_spot_flag(opinion=self.object, acting_user=self.request.user, **data)


class HotSpotResolveView(StepView):
    form_class = HotSpotResolveForm
    title = _("Điểm nóng đã được giải quyết")
    notice = _("Ý kiến này không có điểm nóng đang theo dõi.")
    submit = _("Xác nhận đã giải quyết")
    day_fields = ("resolved_on",)

    def allowed(self, opinion):
        return opinion.hot_spot_open

    def step(self, data):
        return steps.hot_spot_resolve(opinion=self.object, acting_user=self.request.user, **data)


class OpinionContactCorrectView(StepView):
    """Correct the citizen's name and phone because they asked, at any step (a closed
    opinion included), with the reason "yêu cầu của chủ thể dữ liệu" in the history
    (``steps.opinion_contact_correct``)."""

    form_class = ContactForm
    title = _("Sửa thông tin liên hệ theo yêu cầu")
    explain = _(
        "Người dân yêu cầu sửa họ tên, số điện thoại của họ trên ý kiến này. Lịch sử thay "
        "đổi ghi lại việc sửa với lý do “yêu cầu của chủ thể dữ liệu”."
    )

    def get_initial(self):
        return {field: getattr(self.object, field) for field in steps.CONTACT_FIELDS}

    def step(self, data):
        return steps.opinion_contact_correct(
            opinion=self.object, acting_user=self.request.user, **data
        )


class OpinionContactEraseView(StepView):
    """Erase the citizen's name and phone because they asked (a confirmation, then a
    POST): the reason "yêu cầu của chủ thể dữ liệu" goes in the history and the earlier
    history rows lose them too (``steps.opinion_contact_erase``)."""

    form_class = ServiceForm
    title = _("Xoá thông tin liên hệ theo yêu cầu")
    notice = _("Ý kiến này không còn họ tên, số điện thoại của người dân.")
    explain = _(
        "Người dân yêu cầu xoá họ tên, số điện thoại của họ trên ý kiến này? Cả các bản "
        "ghi cũ trong lịch sử thay đổi cũng được xoá hai thông tin này; nội dung ý kiến, "
        "câu trả lời và các bước theo dõi vẫn giữ nguyên. Không khôi phục lại được."
    )
    submit = _("Xoá họ tên, số điện thoại")
    danger = True

    def allowed(self, opinion):
        return bool(opinion.citizen_name or opinion.citizen_phone)

    def step(self, data):
        return steps.opinion_contact_erase(opinion=self.object, acting_user=self.request.user)


# --- The province's number of days ---------------------------------------------------------


class SettingsView(WorkMixin, TemplateView):
    """The number of days each province of the user's area gives to answer an opinion
    (2025 map; 15 unless the province set another)."""

    permission = "work.view_provinceworksettings"
    template_name = "work/settings.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            provinces=selectors.settings_rows(self.request.user),
            can_manage=self.request.user.has_perm("work.manage_settings"),
        )


class SettingsUpdateView(WorkMixin, ServiceFormView):
    """Set one province's number of days (provincial staff of the province, system
    administrators); the due date of every opinion of the province follows."""

    permission = "work.manage_settings"
    template_name = "work/settings_form.html"
    form_class = OverdueDaysForm
    context_object_name = "province"

    def get_queryset(self):
        return selectors.provinces_for_settings(self.request.user)

    def get_initial(self):
        return {"overdue_days": steps.overdue_days_for(self.object.path)}

    def perform(self, form):
        days = form.cleaned_data["overdue_days"]
        steps.overdue_days_set(province=self.object, days=days, acting_user=self.request.user)
        messages.success(
            self.request, str(MESSAGE_SETTINGS).format(province=self.object.name, days=days)
        )
        return self.object

    def success_url_for(self, result) -> str:
        return reverse("work:settings")
