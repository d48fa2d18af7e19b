"""The roster services: adding (with the identity rule), ending, dissolving, merging and
splitting, and the database constraints behind them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Membership, Person
from members.services import (
    END_REASON_DISSOLVED,
    ERROR_ALREADY_DISSOLVED,
    ERROR_ALREADY_ENDED,
    ERROR_ALREADY_MEMBER,
    ERROR_DISSOLVE_DATE,
    ERROR_END_BEFORE_START,
    ERROR_END_IN_FUTURE,
    ERROR_MERGE_OVERLAP,
    ERROR_MERGE_PROVINCE,
    ERROR_MERGE_SELF,
    ERROR_NAME_REQUIRED,
    ERROR_OTHER_PROVINCE,
    ERROR_SPLIT_ALL,
    ERROR_SPLIT_EMPTY,
    ERROR_SPLIT_FOREIGN,
    ERROR_UNIT_DISSOLVED,
    membership_add,
    membership_end,
    membership_update,
    person_find,
    person_merge,
    person_split,
    unit_dissolve,
)
from members.validation import ERROR_PHONE
from units.choices import UnitStatus
from units.services import ERROR_UNIT_EXISTS, team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 5)


@pytest.fixture
def far_bloc(area_tree):
    return unit_create(kind="bloc", area=area_tree["far_commune"])


def _add(unit, name="Nguyễn Văn An", birth_year=1975, **extra):
    return membership_add(unit=unit, full_name=name, birth_year=birth_year, **extra)


def _message(exc_info) -> list[str]:
    return exc_info.value.messages


# --- membership_add and the identity rule ----------------------------------------------


def test_add_creates_the_person_in_the_units_province(bloc, area_tree):
    """A new name creates a person recorded in the unit's province; the seat copies the
    unit's area path and starts on the given day."""
    membership = _add(bloc, role="head", start_date=DAY, phone="0912 345 678", party_member=True)
    person = membership.person
    assert person.province == area_tree["province"]
    assert person.search_name == "nguyen van an"
    assert person.phone == "0912345678"
    assert membership.area_path == bloc.area_path
    assert (membership.role, membership.start_date, membership.end_date) == ("head", DAY, None)


def test_the_same_person_in_a_bloc_and_a_team_is_one_record(bloc, team):
    """Same folded name and birth year in one province, phones agreeing: one person with
    two seats. The stored spelling of the name stays; other details update."""
    first = _add(bloc, phone="0912345678", position="Chủ tịch UBND xã")
    second = _add(team, name="nguyen van AN", position="Trưởng thôn")
    assert second.person_id == first.person_id
    person = Person.objects.get()
    assert person.full_name == "Nguyễn Văn An"
    assert person.position == "Trưởng thôn"
    assert person.phone == "0912345678"  # not given: kept
    assert person.memberships.count() == 2


def test_one_unknown_phone_still_matches_but_different_phones_do_not(bloc, team, area_tree):
    """Phones agree when equal or when one is unknown; two different phones are two
    people even with the same name and birth year."""
    first = _add(bloc, phone="")
    same = _add(team, phone="0987654321")
    assert same.person_id == first.person_id
    other_team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 2")
    different = _add(other_team, phone="0911111111")
    assert different.person_id != first.person_id
    assert Person.objects.count() == 2


def test_birth_year_and_province_are_part_of_the_identity(bloc, team, far_bloc):
    """A different birth year, an unknown birth year, or another province: new people."""
    original = _add(bloc, birth_year=1975)
    assert _add(team, birth_year=1976).person_id != original.person_id
    other_team = team_create_for_village(commune=bloc.area, village_name="Tổ 3")
    no_year = _add(other_team, birth_year=None)
    assert no_year.person_id != original.person_id
    assert _add(far_bloc, birth_year=1975).person_id != original.person_id
    assert Person.objects.count() == 4


def test_an_ambiguous_match_creates_a_new_record(bloc, team, area_tree):
    """When the rule matches two records the service does not guess: a new person."""
    province = area_tree["province"]
    Person.objects.create(full_name="Lò Văn Hùng", birth_year=1980, province=province)
    Person.objects.create(full_name="Lò Văn Hùng", birth_year=1980, province=province)
    assert person_find(province=province, full_name="Lo Van Hung", birth_year=1980) is None
    membership = _add(team, name="Lò Văn Hùng", birth_year=1980)
    assert Person.objects.filter(search_name="lo van hung").count() == 3
    assert membership.person.memberships.count() == 1


def test_add_refuses_a_person_recorded_in_another_province(bloc, team, far_bloc):
    """A person given explicitly is seated only in units of the province they are
    recorded in (the statistics add provinces up): another province's unit is refused
    with a clear message and nothing is written; the same province is fine."""
    person = _add(bloc).person
    with pytest.raises(ValidationError) as exc_info:
        membership_add(unit=far_bloc, person=person)
    assert _message(exc_info) == [str(ERROR_OTHER_PROVINCE)]
    assert not Membership.objects.filter(unit=far_bloc).exists()
    fresh = Person.objects.get(pk=person.pk)  # province not loaded: checked by a query
    with pytest.raises(ValidationError):
        membership_add(unit=far_bloc, person=fresh)
    assert membership_add(unit=team, person=fresh).person == person


def test_add_writes_nothing_when_the_seat_is_refused_after_the_person_was_made(bloc):
    """membership_add is one transaction: a new person made for a seat that is then
    refused (an unknown role) is not left behind."""
    with pytest.raises(ValidationError):
        membership_add(unit=bloc, full_name="Người Không Ở Lại", birth_year=1990, role="x")
    assert not Person.objects.filter(full_name="Người Không Ở Lại").exists()
    assert not Membership.objects.filter(unit=bloc).exists()


def test_add_refuses_an_open_seat_twice_and_a_dissolved_unit(bloc):
    """The same person cannot hold two open seats in one unit; a dissolved unit takes no
    one. Nothing is written."""
    _add(bloc)
    with pytest.raises(ValidationError) as exc_info:
        _add(bloc, name="Nguyen Van An")
    assert _message(exc_info) == [ERROR_ALREADY_MEMBER.format(person="Nguyễn Văn An (1975)")]
    unit_dissolve(unit=bloc, dissolved_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc_info:
        _add(bloc, name="Trần Thị Bình")
    assert _message(exc_info) == [ERROR_UNIT_DISSOLVED]
    assert not Person.objects.filter(search_name="tran thi binh").exists()


def test_add_rejects_an_empty_name_and_a_bad_phone(bloc):
    """Vietnamese messages on the field at fault."""
    with pytest.raises(ValidationError) as exc_info:
        _add(bloc, name="   ")
    assert exc_info.value.message_dict == {"full_name": [ERROR_NAME_REQUIRED]}
    with pytest.raises(ValidationError) as exc_info:
        _add(bloc, phone="12345")
    assert exc_info.value.message_dict == {"phone": [ERROR_PHONE.format(value="12345")]}
    assert Membership.objects.count() == 0


def test_blank_details_keep_what_a_recognised_record_holds(bloc, team):
    """Adding a recognised person with blank details ("" or None) keeps the stored ones,
    whichever door calls membership_add."""
    first = _add(
        bloc, phone="0912345678", position="Chủ tịch UBND xã", gender="male", party_member=True
    )
    second = _add(
        team, phone="", position="", gender="", ethnicity=None, party_member=None, role="head"
    )
    assert second.person_id == first.person_id
    person = Person.objects.get()
    assert (person.phone, person.position, person.gender) == (
        "0912345678",
        "Chủ tịch UBND xã",
        "male",
    )
    assert person.party_member


def test_update_sets_blank_details_as_given(bloc):
    """Editing is where a detail is cleared: membership_update sets what it is given."""
    membership = _add(bloc, phone="0912345678", party_member=True)
    membership_update(membership=membership, phone="", party_member=False)
    membership.person.refresh_from_db()
    assert (membership.person.phone, membership.person.party_member) == ("", False)


def test_a_person_who_left_can_join_again(bloc):
    """Ending keeps the old seat; a new seat in the same unit is a second row."""
    first = _add(bloc, start_date=DAY)
    membership_end(membership=first, end_date=datetime.date(2024, 6, 1))
    again = _add(bloc, start_date=datetime.date(2025, 1, 1))
    assert again.person_id == first.person_id
    assert Membership.objects.filter(unit=bloc).count() == 2


# --- membership_update / membership_end -----------------------------------------------


def test_update_changes_the_seat_and_the_persons_details(bloc):
    """Role and start date belong to the seat; name and phone to the person."""
    membership = _add(bloc)
    membership_update(
        membership=membership,
        role="deputy",
        start_date=DAY,
        phone="0901234567",
        full_name="Nguyễn Văn Ân",
    )
    membership.refresh_from_db()
    assert (membership.role, membership.start_date) == ("deputy", DAY)
    assert membership.person.phone == "0901234567"
    assert membership.person.search_name == "nguyen van an"


def test_end_keeps_the_seat_as_history(bloc):
    """Ending records the date and the reason; the row stays."""
    membership = _add(bloc, start_date=DAY)
    membership_end(
        membership=membership, end_date=datetime.date(2024, 12, 31), end_reason=" Nghỉ  hưu "
    )
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2024, 12, 31)
    assert membership.end_reason == "Nghỉ hưu"
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_end_refuses_twice_a_future_day_and_a_day_before_the_start(bloc):
    """Exact messages, with dates written day first."""
    membership = _add(bloc, start_date=DAY)
    with pytest.raises(ValidationError) as exc_info:
        membership_end(membership=membership, end_date=datetime.date(2024, 3, 4))
    assert exc_info.value.message_dict == {
        "end_date": [ERROR_END_BEFORE_START.format(date="05/03/2024")]
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        membership_end(membership=membership, end_date=tomorrow)
    assert exc_info.value.message_dict == {"end_date": [ERROR_END_IN_FUTURE]}
    membership_end(membership=membership, end_date=datetime.date(2024, 4, 1))
    with pytest.raises(ValidationError) as exc_info:
        membership_end(membership=membership, end_date=datetime.date(2024, 5, 1))
    assert _message(exc_info) == [ERROR_ALREADY_ENDED.format(date="01/04/2024")]


# --- unit_dissolve --------------------------------------------------------------------


def test_dissolve_ends_open_seats_and_keeps_past_ones(team):
    """Open seats end on the dissolution day with the standard reason; a seat that ended
    earlier keeps its own date and reason; a second dissolution is refused."""
    staying = _add(team, name="Lò Thị Xuân", start_date=DAY)
    left = _add(team, name="Cà Văn Tịnh", start_date=DAY)
    membership_end(membership=left, end_date=datetime.date(2024, 5, 1), end_reason="Chuyển đi")
    unit_dissolve(unit=team, dissolved_on=datetime.date(2025, 1, 1))
    team.refresh_from_db()
    staying.refresh_from_db()
    left.refresh_from_db()
    assert (team.status, team.dissolved_on) == (UnitStatus.DISSOLVED, datetime.date(2025, 1, 1))
    assert (staying.end_date, staying.end_reason) == (
        datetime.date(2025, 1, 1),
        END_REASON_DISSOLVED,
    )
    assert (left.end_date, left.end_reason) == (datetime.date(2024, 5, 1), "Chuyển đi")
    with pytest.raises(ValidationError) as exc_info:
        unit_dissolve(unit=team, dissolved_on=datetime.date(2025, 2, 1))
    assert _message(exc_info) == [ERROR_ALREADY_DISSOLVED.format(date="01/01/2025")]


def test_dissolve_refuses_a_future_day(bloc):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        unit_dissolve(unit=bloc, dissolved_on=tomorrow)
    assert exc_info.value.message_dict == {"dissolved_on": [ERROR_DISSOLVE_DATE]}
    bloc.refresh_from_db()
    assert bloc.status == UnitStatus.ACTIVE


def test_a_village_can_get_a_new_team_after_dissolution(team, area_tree):
    """One active team per village: refused while the first is active, allowed after."""
    with pytest.raises(ValidationError) as exc_info:
        team_create_for_village(commune=area_tree["commune"], village_name="tổ 1")
    assert exc_info.value.message_dict == {
        "area": [ERROR_UNIT_EXISTS.format(area="Tổ 1", kind="tổ dân vận")]
    }
    unit_dissolve(unit=team, dissolved_on=timezone.localdate())
    again = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
    assert again.area_id == team.area_id


# --- person_merge / person_split ------------------------------------------------------


def test_merge_moves_seats_fills_blanks_and_deletes_the_duplicate(bloc, team, area_tree):
    """The kept record gains the duplicate's seats and the details it lacked."""
    keep = _add(bloc, name="Hoàng Văn Thụ", birth_year=1970).person
    duplicate = _add(
        team, name="Hoàng Văn Thu", birth_year=None, phone="0912000111", party_member=True
    ).person
    merged = person_merge(keep=keep, duplicate=duplicate)
    assert merged.pk == keep.pk
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert set(merged.memberships.values_list("unit_id", flat=True)) == {bloc.pk, team.pk}
    assert (merged.birth_year, merged.phone, merged.party_member) == (1970, "0912000111", True)
    assert merged.full_name == "Hoàng Văn Thụ"


def test_merge_refusals(bloc, team, far_bloc):
    """Not with itself, not across provinces, not when both sit in the same unit now."""
    keep = _add(bloc).person
    with pytest.raises(ValidationError) as exc_info:
        person_merge(keep=keep, duplicate=keep)
    assert _message(exc_info) == [ERROR_MERGE_SELF]
    far = _add(far_bloc).person
    with pytest.raises(ValidationError) as exc_info:
        person_merge(keep=keep, duplicate=far)
    assert _message(exc_info) == [ERROR_MERGE_PROVINCE]
    twin = _add(bloc, name="Nguyễn Văn An", birth_year=1976).person
    with pytest.raises(ValidationError) as exc_info:
        person_merge(keep=keep, duplicate=twin)
    assert _message(exc_info) == [ERROR_MERGE_OVERLAP.format(unit=bloc)]
    assert Person.objects.filter(pk=twin.pk).exists()


def test_split_moves_the_chosen_seats_to_a_new_record(bloc, team):
    """The new record copies the old one with the given changes; the rest stays."""
    person = _add(bloc, phone="0912345678", position="Chủ tịch MTTQ xã").person
    seat_in_team = _add(team, phone="0912345678")
    new_person = person_split(
        person=person, memberships=[seat_in_team], full_name="Nguyễn Văn An", birth_year=1990,
        phone="0987000111",
    )  # fmt: skip
    seat_in_team.refresh_from_db()
    assert seat_in_team.person_id == new_person.pk
    assert (new_person.birth_year, new_person.phone) == (1990, "0987000111")
    assert new_person.position == "Chủ tịch MTTQ xã"
    assert person.memberships.get().unit_id == bloc.pk


def test_split_refusals(bloc, team):
    person = _add(bloc).person
    seat = _add(team)
    other = _add(team, name="Trần Văn Bình")
    for chosen, message in (
        ([], ERROR_SPLIT_EMPTY),
        ([other], ERROR_SPLIT_FOREIGN),
        (list(person.memberships.all()), ERROR_SPLIT_ALL),
    ):
        with pytest.raises(ValidationError) as exc_info:
            person_split(person=person, memberships=chosen, birth_year=1990)
        assert _message(exc_info) == [message]
    assert seat.person_id == person.pk
    assert Person.objects.count() == 2


# --- constraints ----------------------------------------------------------------------


def test_database_refuses_two_open_seats_and_an_end_before_the_start(bloc):
    """The invariants hold even for writes that skip the services."""
    membership = _add(bloc, start_date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(unit=bloc, person=membership.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(end_date=datetime.date(2024, 1, 1))


def test_database_refuses_two_active_blocs_in_a_commune(bloc):
    from units.models import Unit

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind="bloc", area=bloc.area)


def test_identity_rule_never_reaches_a_person_outside_the_users_area(area_tree):
    """Officer of commune A adding a namesake of someone seated only in sibling commune
    B gets a new record: B's person is neither matched, revealed nor overwritten."""
    from accounts.choices import StaffRole
    from members.models import Person
    from tests.factories import make_staff

    bloc_b = unit_create(kind="bloc", area=area_tree["sibling_commune"])
    theirs = membership_add(
        unit=bloc_b, full_name="Hoàng Thị Mai", birth_year=1980, phone="0912000111"
    ).person
    officer_a = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    bloc_a = unit_create(kind="bloc", area=area_tree["commune"])
    mine = membership_add(
        unit=bloc_a,
        acting_user=officer_a,
        full_name="Hoàng Thị Mai",
        birth_year=1980,
        position="Chủ tịch Hội Phụ nữ",
    ).person
    assert mine.pk != theirs.pk
    theirs.refresh_from_db()
    assert (theirs.phone, theirs.position) == ("0912000111", "")
    # Provincial staff see both and recognise the same person (one match is ambiguous
    # now, so nothing is merged behind their back).
    province_staff = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]])
    assert Person.objects.filter(search_name="hoang thi mai").count() == 2
    team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 9")
    third = membership_add(
        unit=team, acting_user=province_staff, full_name="Hoàng Thị Mai", birth_year=1980
    ).person
    assert third.pk not in (mine.pk, theirs.pk)
