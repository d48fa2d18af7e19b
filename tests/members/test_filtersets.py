"""MembershipFilterSet through ``membership_filter(user, params)``, the entry point the
member list and the roster export share."""

import datetime

import pytest
from django.http import QueryDict

from members.filtersets import ERROR_DATE, MembershipFilterSet, membership_filter
from members.services import membership_add, membership_end
from tests.factories import AreaFactory, UserFactory, make_staff
from units.choices import Edition, Level
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff(username="canbo")


@pytest.fixture
def roster(area_tree):
    """A bloc and a team in one commune, a bloc far away, and one past seat."""
    bloc = unit_create(kind="bloc", area=area_tree["commune"])
    team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
    far = unit_create(kind="bloc", area=area_tree["far_commune"])
    seats = {
        "head": membership_add(
            unit=bloc, full_name="Hoàng Văn Thụ", role="head", party_member=True,
            gender="male", ethnicity="Tày", start_date=datetime.date(2023, 1, 1),
        ),
        "deputy": membership_add(
            unit=bloc, full_name="Nông Thị Hoa", role="deputy", gender="female",
            ethnicity="Kinh", start_date=datetime.date(2023, 1, 1),
        ),
        "team_head": membership_add(
            unit=team, full_name="Đặng Văn Đức", role="head", party_member=True,
            gender="male", ethnicity="Dao", start_date=datetime.date(2024, 6, 1),
        ),
        "far": membership_add(
            unit=far, full_name="Lò Văn Hùng", role="member", gender="male", ethnicity="Thái"
        ),
        "left": membership_add(
            unit=team, full_name="Triệu Thị Mai", gender="female", ethnicity="Dao",
            start_date=datetime.date(2023, 1, 1),
        ),
    }  # fmt: skip
    membership_end(
        membership=seats["left"], end_date=datetime.date(2024, 3, 31), end_reason="Chuyển đi"
    )
    return {"bloc": bloc, "team": team, "far": far, **seats}


def _names(user, params):
    filterset = membership_filter(user, params)
    assert filterset.is_valid(), filterset.errors
    return sorted(m.person.full_name for m in filterset.qs)


def test_the_class_and_function_other_code_relies_on():
    """The export view imports both names."""
    assert MembershipFilterSet.__name__ == "MembershipFilterSet"
    assert callable(membership_filter)


def test_status_defaults_to_current_seats(staff, roster):
    """No status: current seats only; "ended" and "all" as asked."""
    current = ["Hoàng Văn Thụ", "Lò Văn Hùng", "Nông Thị Hoa", "Đặng Văn Đức"]
    assert _names(staff, {}) == current
    assert _names(staff, QueryDict("")) == current
    assert _names(staff, {"status": "ended"}) == ["Triệu Thị Mai"]
    assert len(_names(staff, {"status": "all"})) == 5


def test_area_by_id_keeps_the_area_and_everything_under_it(staff, roster, area_tree):
    """A district id keeps its commune's bloc and village teams; a village id only its
    team; the far province stays out."""
    district = area_tree["district"].pk
    assert _names(staff, {"area": district}) == ["Hoàng Văn Thụ", "Nông Thị Hoa", "Đặng Văn Đức"]
    assert _names(staff, {"area": roster["team"].area_id}) == ["Đặng Văn Đức"]
    assert _names(staff, {"area": area_tree["other_province"].pk}) == ["Lò Văn Hùng"]


def test_area_by_code_read_in_the_chosen_edition(staff, roster, area_tree):
    """Codes overlap between editions: the code is read in ``edition`` (default: the
    only edition loaded). An unknown or malformed code matches nothing and says so."""
    assert _names(staff, {"area_code": "01834"}) == [
        "Hoàng Văn Thụ",
        "Nông Thị Hoa",
        "Đặng Văn Đức",
    ]
    assert _names(staff, {"area_code": "11", "edition": "legacy"}) == ["Lò Văn Hùng"]
    AreaFactory(level=Level.PROVINCE, code="11", edition=Edition.V2025, name="Tỉnh Mới")
    # Both editions loaded now: a code alone is read in 2025, where "11" has no one.
    assert _names(staff, {"area_code": "11"}) == []
    for code in ("99999", "1x", "1234"):
        filterset = membership_filter(staff, {"area_code": code})
        assert list(filterset.qs) == []
        assert filterset.area_not_found


def test_edition_alone_keeps_that_editions_seats(staff, roster):
    assert len(_names(staff, {"edition": "legacy"})) == 4
    assert _names(staff, {"edition": "2025"}) == []


def test_kind_role_party_gender_ethnicity(staff, roster):
    assert _names(staff, {"kind": "team"}) == ["Đặng Văn Đức"]
    assert _names(staff, {"role": "head"}) == ["Hoàng Văn Thụ", "Đặng Văn Đức"]
    assert _names(staff, {"party_member": "true"}) == ["Hoàng Văn Thụ", "Đặng Văn Đức"]
    assert _names(staff, {"party_member": "false"}) == ["Lò Văn Hùng", "Nông Thị Hoa"]
    assert _names(staff, {"gender": "female", "status": "all"}) == ["Nông Thị Hoa", "Triệu Thị Mai"]
    assert _names(staff, {"ethnicity": "Dao", "status": "all"}) == ["Triệu Thị Mai", "Đặng Văn Đức"]
    assert _names(staff, {"unit": roster["bloc"].pk}) == ["Hoàng Văn Thụ", "Nông Thị Hoa"]


def test_active_on_a_day_typed_day_first_replaces_status(staff, roster):
    """01/03/2024 is 1 March: the seat that ended on 31/03/2024 counts, the team head
    who started in June does not, and the default status does not hide the past seat."""
    names = _names(staff, {"active_on": "01/03/2024"})
    assert names == ["Hoàng Văn Thụ", "Lò Văn Hùng", "Nông Thị Hoa", "Triệu Thị Mai"]
    assert "Triệu Thị Mai" not in _names(staff, {"active_on": "01/04/2024"})
    assert "Đặng Văn Đức" in _names(staff, {"active_on": "01/06/2024"})


def test_a_bad_date_is_a_vietnamese_error(staff, roster):
    filterset = membership_filter(staff, {"active_on": "31/02/2024"})
    assert not filterset.is_valid()
    assert filterset.errors["active_on"] == [str(ERROR_DATE)]


def test_name_search_ignores_diacritics_and_case(staff, roster):
    """ "dang van duc" finds Đặng Văn Đức; every word must match."""
    assert _names(staff, {"q": "dang van duc"}) == ["Đặng Văn Đức"]
    assert _names(staff, {"q": "VĂN"}) == ["Hoàng Văn Thụ", "Lò Văn Hùng", "Đặng Văn Đức"]
    assert _names(staff, {"q": "thi mai", "status": "all"}) == ["Triệu Thị Mai"]


def test_someone_without_staff_rights_gets_nothing(roster):
    assert _names(UserFactory(username="dan"), {"status": "all"}) == []


def test_rows_come_in_roster_order_with_no_query_per_row(staff, roster, django_assert_num_queries):
    """By place, unit, heads first; the unit, commune and person come joined."""
    filterset = membership_filter(staff, {"status": "all"})
    with django_assert_num_queries(1):
        rows = [
            (m.unit.name, m.role_label, m.person.full_name, m.unit.commune.name)
            for m in filterset.qs
        ]
    assert rows[0][:3] == (
        "Khối dân vận Phường Nguyễn Thị Minh Khai",
        "Trưởng khối",
        "Hoàng Văn Thụ",
    )
    assert rows[1][1] == "Phó khối"


def test_an_unknown_area_or_unit_id_is_a_vietnamese_error(staff, roster):
    filterset = membership_filter(staff, {"area": 999999, "unit": "x"})
    assert not filterset.is_valid()
    assert filterset.errors["area"] == ["Lựa chọn không hợp lệ."]
    assert filterset.errors["unit"] == ["Lựa chọn không hợp lệ."]
