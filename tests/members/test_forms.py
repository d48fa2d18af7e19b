"""Forms of the staff interface: day-first dates, the roster parsers, role words and
service errors put back on the right field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from members.forms import MembershipAddForm, MembershipEndForm, TeamCreateForm
from members.validation import ERROR_PHONE
from portal.forms import ERROR_DATE, add_service_error
from units.models import Unit


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _add_form(data, kind="team"):
    return MembershipAddForm(data, unit=Unit(kind=kind))


def test_dates_are_read_day_first():
    """05/03/2024 is 5 March, 25/03/2024 is accepted, 03/25/2024 is refused."""
    form = MembershipEndForm({"end_date": "05/03/2024"})
    assert form.is_valid()
    assert form.cleaned_data["end_date"] == datetime.date(2024, 3, 5)
    assert MembershipEndForm({"end_date": "25/03/2024"}).is_valid()
    form = MembershipEndForm({"end_date": "03/25/2024"})
    assert form.errors["end_date"] == [str(ERROR_DATE)]


def test_end_form_proposes_today():
    assert MembershipEndForm().initial["end_date"] == timezone.localdate()


def test_add_form_parses_like_the_import():
    """Phones lose their spaces, birth years come from text, the name is normalised."""
    form = _add_form(
        {
            "full_name": "  Lò   Thị Xuân ",
            "role": "member",
            "birth_year": "1990",
            "phone": "+84 987 654 321",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Lò Thị Xuân"
    assert form.cleaned_data["birth_year"] == 1990
    assert form.cleaned_data["phone"] == "0987654321"
    form = _add_form({"full_name": "A", "role": "member", "phone": "0123"})
    assert form.errors["phone"] == [ERROR_PHONE.format(value="0123")]


def test_role_words_follow_the_kind_of_unit():
    assert [label for _v, label in _add_form(None, "bloc").fields["role"].choices] == [
        "Trưởng khối",
        "Phó khối",
        "Thành viên",
    ]
    assert [label for _v, label in _add_form(None, "team").fields["role"].choices] == [
        "Tổ trưởng",
        "Tổ phó",
        "Thành viên",
    ]


def test_ethnicity_is_a_select_of_the_54_groups():
    choices = _add_form(None).fields["ethnicity"].choices
    assert len(choices) == 55  # a blank first
    assert choices[1] == ("Kinh", "Kinh")


def test_service_errors_land_on_the_named_field_or_on_top():
    """The team form maps the service's ``area`` and ``name`` onto the village field;
    an unknown field goes to the top of the form."""
    form = TeamCreateForm({"village_name": "Tổ 1", "kind": "team"})
    assert form.is_valid()
    form.add_service_error(ValidationError({"area": "Tổ 1 đã có tổ dân vận đang hoạt động."}))
    add_service_error(form, ValidationError({"parent": "Sai cấp."}))
    add_service_error(form, ValidationError("Lỗi chung."))
    assert form.errors["village_name"] == ["Tổ 1 đã có tổ dân vận đang hoạt động."]
    assert list(form.non_field_errors()) == ["Sai cấp.", "Lỗi chung."]
