"""The steps that need a written reason (return, not rated, reopen) and the ratings
chosen on the decision list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.choices import Stage
from evaluations.services.steps import ERROR_COMMENT_REQUIRED, ERROR_REASON_REQUIRED
from evaluations.stages import return_targets
from portal.forms import ServiceForm

ERROR_NO_SELECTION = _("Chưa chọn đơn vị nào.")


class ReasonForm(ServiceForm):
    """A required text: a return comment, a reason for "not rated" or for reopening."""

    def __init__(
        self,
        *args,
        label=None,
        required_message=ERROR_REASON_REQUIRED,
        max_length=300,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=label or _("Lý do"),
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": required_message},
        )


def return_form(*args, rating=None, **kwargs) -> ReasonForm:
    """The return comment; when ``rating`` may go back more than one step (a decision
    pending), also the step to send it to (one step back by default)."""
    kwargs.setdefault("auto_id", "return-%s")
    form = ReasonForm(
        *args,
        label=_("Ý kiến khi trả lại"),
        required_message=ERROR_COMMENT_REQUIRED,
        max_length=500,
        **kwargs,
    )
    targets = return_targets(rating) if rating is not None else ()
    if len(targets) > 1:
        form.fields["to_stage"] = forms.ChoiceField(
            label=_("Trả về bước"),
            choices=[(stage, Stage(stage).label) for stage in targets],
            initial=targets[0],
            required=False,  # none chosen: one step back
            widget=forms.RadioSelect,
            help_text=_(
                "Chọn “Đơn vị tự đánh giá” khi đơn vị phải bổ sung minh chứng hay sửa "
                "điểm của mình."
            ),
        )
    return form


def not_rated_form(*args, **kwargs) -> ReasonForm:
    """The reason for "not rated" (ids of its own: it shares a page with the others)."""
    return ReasonForm(*args, label=_("Lý do không xếp loại"), auto_id="not-rated-%s", **kwargs)


def reopen_form(*args, **kwargs) -> ReasonForm:
    """The reason for reopening a locked rating."""
    return ReasonForm(*args, label=_("Lý do mở lại"), auto_id="reopen-%s", **kwargs)


class BulkSelectionForm(forms.Form):
    """The ratings chosen on the decision list."""

    ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), error_messages={"required": ERROR_NO_SELECTION}
    )

    def __init__(self, *args, evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(e.pk, str(e.pk)) for e in evaluations]
        self.fields["ids"].error_messages["invalid_choice"] = _(
            "Có đơn vị không còn chờ quyết định hoặc ngoài địa bàn của bạn; hãy chọn lại."
        )
