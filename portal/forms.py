"""What every form of the portal shares: services' errors put back on the form, the
day-first date field, the base of the forms a service writes, and the admin's form whose
save is a service call.

The rules live in the services; forms only parse what is typed. A
service raises ``ValidationError`` naming the model's fields; ``add_service_error``
shows each message on the form's field of that name (or the one ``field_map`` names),
else at the top of the form, and nothing is written.
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _

from portal.formats import day_in_range

ERROR_DATE = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026.")
ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_CHOICE = _("Lựa chọn không hợp lệ.")


def add_service_error(
    form: forms.BaseForm,
    error: ValidationError,
    field_map: dict[str, str] | None = None,
    *,
    top: Callable[[str], None] | None = None,
) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message on the field it
    names when the form has that field (through ``field_map`` for the service's field
    names: ``{"password": "password1"}``), otherwise at the top of the form, or handed
    to ``top`` when given (a page made of several forms keeps its own list)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        errors = [
            (field_map.get(field, field), each)
            for field, field_errors in error.error_dict.items()
            for each in field_errors
        ]
    else:
        errors = [(None, each) for each in error.error_list]
    for field, each in errors:
        if field in form.fields:
            form.add_error(field, each)
        elif top is not None:
            for message in each:
                top(message)
        else:
            form.add_error(None, each)


class DayField(forms.DateField):
    """A date typed day first (21/11/2026), as every document of the committees is
    dated; the accepted formats come from the active language's format module
    (``danvan/formats``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"placeholder": _("ngày/tháng/năm"), "autocomplete": "off"}),
        )
        error_messages = {"invalid": ERROR_DATE, "required": ERROR_REQUIRED}
        error_messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=error_messages, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not day_in_range(day):  # 01/01/0001 is a typo, not a day
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class ServiceForm(forms.Form):
    """A form whose data a service writes; ``service_error_fields`` maps the service's
    field names onto the form's."""

    service_error_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        add_service_error(self, error, self.service_error_fields)

    @property
    def top_errors(self):
        return self.errors.get(NON_FIELD_ERRORS, [])


# --- The admin ---------------------------------------------------------------------------


class ServiceModelForm(forms.ModelForm):
    """An admin form whose save is a service call (``units.services``,
    ``members.services`` ...).

    The admin saves after the point where a form can still show errors (``save_model``),
    so a rule the service enforces would surface as a 500 there. The service is therefore
    called at the end of ``clean()``, inside the admin's own transaction: its
    ``ValidationError`` becomes a form error and nothing is written; on success the saved
    object is ``service_result``, which ``ServiceAdminMixin.save_form`` hands to the admin.
    The form's own model validation is skipped (the service runs ``full_clean()``, and it
    would see the row just saved as a duplicate).
    """

    acting_user = None
    service_result = None

    def call_service(self, data: dict):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        try:
            with transaction.atomic():
                self.service_result = self.call_service(cleaned)
        except ValidationError as exc:
            self.add_service_error(exc)
        return cleaned

    def add_service_error(self, error: ValidationError) -> None:
        add_service_error(self, error)

    def _post_clean(self):
        """Validated and saved by the service (see the class docstring)."""


def _is_id(value) -> bool:
    """Whether ``value`` (a query-string value, or a list of them) is a database id."""
    values = value if isinstance(value, list) else str(value).split(",")
    return all(str(v).isdigit() and int(v) < 2**63 for v in values)


class ServiceAdminMixin:
    """Admin plumbing for ``ServiceModelForm``: the service has saved the object already.

    The admin validates the inlines after the form, so a valid form (the service has
    written) can be followed by invalid or tampered inline data and an error page. Every
    POST of the change form is therefore one transaction: when it does not end in a
    redirect or a pop-up's answer (the admin's signs of a save), the object, its inlines
    and its history rows are rolled back, and the page with the errors is all that is
    left.
    """

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Runs inside the admin's transaction.atomic() (ModelAdmin.changeform_view).
        response = super()._changeform_view(request, object_id, form_url, extra_context)
        saved = response.status_code == 302 or "popup_response" in str(
            getattr(response, "template_name", "")  # a save from a "+" pop-up window
        )
        if request.method == "POST" and not saved:
            transaction.set_rollback(True, using=router.db_for_write(self.model))
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # modelform_factory made a new class for this request: safe to set on it.
        form.acting_user = request.user
        return form

    def get_changeform_initial_data(self, request):
        """The admin's initial values from the query string (``?person=12``), without a
        foreign key that is no id (``?person=1e9`` was a 500 when the form rendered)."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:  # not a field of the model: the form ignores it
                field = None
            if field is not None and field.is_relation and not _is_id(value):
                del initial[name]
        return initial

    def save_form(self, request, form, change):
        return form.service_result

    def save_model(self, request, obj, form, change):
        """Saved by the service in ``form.clean()``."""

    def save_related(self, request, form, formsets, change):
        """No many-to-many fields; inlines are read-only, so their formsets save nothing
        (the change message still reads what they saved)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
