"""Validity of areas enforced through every door (docs/REORGANISATION.md, "Validity"):
a unit is in force only while its area exists; founding a unit, seating a member or
starting a rating on an area that does not exist on that day is refused in Vietnamese,
by the services and so by the staff pages, the admin and the roster import. Legacy data
stays readable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.services.ratings import evaluation_start
from members.imports import roster_import
from members.models import Membership
from members.services import membership_add
from tests.factories import make_staff
from tests.members.conftest import xlsx_bytes
from units import selectors
from units.models import Area, Unit
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def both_maps(load_province):
    """Legacy Bắc Kạn (06) and 2025 Thái Nguyên (19), linked by the lineage."""
    load_province("legacy", "06")
    load_province("2025", "19")
    legacy = Area.objects.get(edition="legacy", code="01834")  # Phường Nguyễn Thị Minh Khai
    return {"legacy": legacy, "new": selectors.default_successor(legacy)}


def _message(error: ValidationError) -> str:
    return " ".join(error.value.messages)


def test_founding_on_a_legacy_commune_after_the_reform_is_refused_naming_the_successor(
    both_maps,
):
    legacy, new = both_maps["legacy"], both_maps["new"]
    with pytest.raises(ValidationError) as error:
        unit_create(kind="bloc", area=legacy, decision_date=D(2026, 3, 2))
    message = _message(error)
    assert "chỉ tồn tại đến ngày 30/06/2025" in message
    assert "không thể lập đơn vị vào ngày 02/03/2026" in message
    assert f"Địa bàn kế thừa từ ngày 01/07/2025: {new.name} (Tỉnh Thái Nguyên)" in message
    # Without a date it is today, which is after the reform as well.
    with pytest.raises(ValidationError):
        unit_create(kind="bloc", area=legacy)
    with pytest.raises(ValidationError):
        team_create_for_village(commune=legacy, village_name="Tổ 9")
    assert not Area.objects.filter(name="Tổ 9").exists()
    # History: a legacy bloc founded in 2023 is still recorded.
    assert unit_create(kind="bloc", area=legacy, decision_date=D(2023, 5, 4)).pk
    assert not Unit.objects.filter(area=legacy, decision_date__year=2026).exists()


def test_founding_on_a_2025_commune_before_it_existed_is_refused(both_maps):
    with pytest.raises(ValidationError) as error:
        unit_create(kind="bloc", area=both_maps["new"], decision_date=D(2024, 12, 1))
    assert "chỉ tồn tại từ ngày 01/07/2025" in _message(error)
    assert unit_create(kind="bloc", area=both_maps["new"], decision_date=D(2025, 7, 1)).pk


def test_a_seat_in_a_legacy_unit_cannot_start_after_the_reform(both_maps):
    bloc = unit_create(kind="bloc", area=both_maps["legacy"], decision_date=D(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        membership_add(unit=bloc, full_name="Hà Văn Mới", start_date=D(2025, 7, 1))
    assert "không thể thêm thành viên vào ngày 01/07/2025" in _message(error)
    with pytest.raises(ValidationError):
        membership_add(unit=bloc, full_name="Hà Văn Mới")  # today
    seat = membership_add(unit=bloc, full_name="Hà Văn Cũ", start_date=D(2025, 6, 30))
    assert seat.pk
    # A 2025 seat may carry the day the person joined the predecessor's bloc.
    new_bloc = unit_create(kind="bloc", area=both_maps["new"], decision_date=D(2025, 7, 1))
    assert membership_add(unit=new_bloc, full_name="Hà Văn Cũ", start_date=D(2023, 1, 9)).pk


def test_a_rating_needs_the_area_at_the_end_of_its_year(both_maps):
    """A legacy unit is rated up to 2024 (its area exists on 31/12), not for 2025."""
    bloc = unit_create(kind="bloc", area=both_maps["legacy"], decision_date=D(2020, 1, 1))
    admin = make_staff()
    with pytest.raises(ValidationError) as error:
        evaluation_start(acting_user=admin, unit=bloc, year=2025)
    assert "không thể bắt đầu đánh giá vào ngày 31/12/2025" in _message(error)
    new_bloc = unit_create(kind="bloc", area=both_maps["new"], decision_date=D(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        evaluation_start(acting_user=admin, unit=new_bloc, year=2024)
    assert "chỉ tồn tại từ ngày 01/07/2025" in _message(error)
    # 2024 for the legacy bloc passes the area rule (and stops at the missing criteria).
    with pytest.raises(ValidationError) as error:
        evaluation_start(acting_user=admin, unit=bloc, year=2024)
    assert "tồn tại" not in _message(error)


def test_unit_in_force_ends_with_its_area(both_maps):
    """A legacy bloc nobody dissolved is in force on 30/06/2025 and not the day after;
    its seats likewise; a 2025 bloc with no founding date only from 01/07/2025."""
    bloc = unit_create(kind="bloc", area=both_maps["legacy"], decision_date=D(2021, 1, 1))
    membership_add(unit=bloc, full_name="Lý Thị Cũ", start_date=D(2021, 2, 1))
    new_bloc = Unit.objects.create(kind="bloc", area=both_maps["new"])
    assert (bloc.area_from, bloc.area_until) == (None, D(2025, 6, 30))
    assert list(Unit.objects.in_force_on(D(2025, 6, 30))) == [bloc]
    assert list(Unit.objects.in_force_on(D(2025, 7, 1))) == [new_bloc]
    assert Membership.objects.active_on(D(2025, 6, 30)).count() == 1
    assert Membership.objects.active_on(D(2025, 7, 1)).count() == 0
    assert Membership.objects.active().count() == 0


def test_changing_an_area_dates_moves_its_units_dates(both_maps):
    """A village ended by a reorganisation: its team stops counting with it."""
    team = team_create_for_village(commune=both_maps["new"], village_name="Tổ 3")
    village = team.area
    assert team.area_from == D(2025, 7, 1)
    village.valid_until = D(2026, 5, 31)
    village.save()
    team.refresh_from_db()
    assert team.area_until == D(2026, 5, 31)
    assert not Unit.objects.in_force_on(D(2026, 6, 1)).filter(pk=team.pk).exists()


def test_staff_page_refuses_a_bloc_on_a_legacy_commune(both_maps, client):
    client.force_login(make_staff())
    legacy = both_maps["legacy"]
    response = client.post(reverse("members:bloc_create", args=[legacy.pk]), {})
    assert response.status_code == 200
    assert "chỉ tồn tại đến ngày 30/06/2025" in response.content.decode()
    assert not Unit.objects.filter(area=legacy).exists()
    # The legacy commune's page still opens (history is readable), says why nothing can
    # be founded there and offers no founding form.
    page = client.get(reverse("members:commune_detail", args=[legacy.pk])).content.decode()
    assert 'data-testid="commune-ended"' in page
    assert reverse("members:bloc_create", args=[legacy.pk]) not in page
    page = client.get(reverse("members:commune_detail", args=[both_maps["new"].pk]))
    assert 'data-testid="commune-ended"' not in page.content.decode()


def test_admin_refuses_a_unit_on_a_legacy_commune(both_maps, client):
    client.force_login(make_staff())
    legacy = both_maps["legacy"]
    response = client.post(
        reverse("admin:units_unit_add"), {"kind": "bloc", "area": legacy.pk, "name": ""}
    )
    assert response.status_code == 200
    assert "chỉ tồn tại đến ngày 30/06/2025" in response.content.decode()
    assert not Unit.objects.filter(area=legacy).exists()


def test_import_row_on_a_ceased_commune_is_a_row_error_naming_the_successor(both_maps):
    row = {
        "Mã xã": "01834",
        "Xã": "Phường Nguyễn Thị Minh Khai",
        "Thôn/Tổ dân phố": "",
        "Đơn vị": "Khối dân vận",
        "Họ và tên": "Đinh Văn Hàng",
        "Giới tính": "Nam",
        "Năm sinh": 1970,
        "Ngày tham gia": "02/09/2025",
    }
    plan = roster_import(xlsx_bytes([row]), filename="cu.xlsx", edition="legacy")
    assert not plan.written
    [error] = plan.errors
    assert error.column == "Ngày tham gia"
    assert both_maps["new"].name in error.message
    assert "không thể thêm thành viên vào ngày 02/09/2025" in error.message
    assert not Membership.objects.exists()
    # Before the reform the same row is history, and it is recorded.
    plan = roster_import(
        xlsx_bytes([{**row, "Ngày tham gia": "02/09/2024"}]), filename="cu.xlsx", edition="legacy"
    )
    assert plan.written and plan.created == 1
