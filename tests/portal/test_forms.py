"""The shared form helpers (portal.forms): a service's error lands on the form's field of
that name (through the form's map of the service's names), else at the top or in the
list a composite page keeps; the day field reads day first."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.forms import ERROR_DATE, DayField, ServiceForm, add_service_error


class PasswordForm(ServiceForm):
    service_error_fields = {"password": "password1"}

    password1 = forms.CharField(required=False)
    started = DayField(label="Ngày")


def test_errors_follow_the_field_map_and_unknown_fields_go_on_top():
    form = PasswordForm({"password1": "x"})
    assert form.is_valid()
    form.add_service_error(
        ValidationError({"password": ["Quá ngắn.", "Quá phổ biến."], "role": "Không được cấp."})
    )
    assert form.errors["password1"] == ["Quá ngắn.", "Quá phổ biến."]
    assert list(form.top_errors) == ["Không được cấp."]


def test_an_error_without_a_field_goes_on_top_with_its_parameters_filled():
    form = PasswordForm({})
    assert form.is_valid()
    add_service_error(form, ValidationError("Tài khoản %(name)s đã khóa.", params={"name": "an"}))
    assert list(form.top_errors) == ["Tài khoản an đã khóa."]


def test_a_composite_page_collects_what_its_form_has_no_field_for():
    """``top``: the editor of criteria keeps the messages of its rows in its own list."""
    form = PasswordForm({})
    assert form.is_valid()
    collected = []
    add_service_error(
        form, ValidationError({"password": "Sai.", "rows": "Thiếu dòng."}), top=collected.append
    )
    add_service_error(form, ValidationError(["Lỗi một.", "Lỗi hai."]), top=collected.append)
    assert collected == ["Sai.", "Thiếu dòng.", "Lỗi một.", "Lỗi hai."]
    assert not form.top_errors


def test_the_day_field_reads_day_first_and_says_how_to_write_a_date():
    with translation.override("vi"):
        form = PasswordForm({"started": "05/03/2024"})
        assert form.is_valid()
        assert form.cleaned_data["started"] == datetime.date(2024, 3, 5)
        wrong = PasswordForm({"started": "31/02/2024"})
        assert not wrong.is_valid()
        assert wrong.errors["started"] == [str(ERROR_DATE)]
