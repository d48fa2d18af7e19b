"""Villages in the roster import: the rule of units.services.VillageIndex, applied to
the stored villages of the commune and the file's own rows, in real .xlsx files."""

import pytest

from members.imports import (
    COL_VILLAGE,
    NOTE_VILLAGE_SIMILAR,
    NOTE_VILLAGE_SIMILAR_IN_FILE,
    RowError,
    roster_import,
    roster_plan,
)
from members.models import Membership, Person
from tests.members.conftest import TEAM_ROW, xlsx_bytes
from units.choices import Level
from units.models import Area, Unit
from units.services import ERROR_VILLAGE_AMBIGUOUS, village_get_or_create

pytestmark = pytest.mark.django_db

COMMUNE = "Phường Bắc Kạn"


@pytest.fixture
def commune(thai_nguyen):
    return Area.objects.get(edition="2025", level=Level.COMMUNE, code="01843")


def row(village: str, name: str, year: int = 1970) -> dict:
    return {**TEAM_ROW, "Thôn/Tổ dân phố": village, "Họ và tên": name, "Năm sinh": year,
            "Vai trò": "Thành viên", "Số điện thoại": ""}  # fmt: skip


def import_rows(rows, **kwargs):
    return roster_import(xlsx_bytes(rows), filename="thon.xlsx", **kwargs)


def villages(commune) -> list[str]:
    return sorted(
        Area.objects.filter(parent=commune, level=Level.VILLAGE).values_list("name", flat=True)
    )


def team_of(full_name: str) -> Unit:
    return Membership.objects.select_related("unit__area").get(person__full_name=full_name).unit


def test_exact_name_in_another_case_is_the_stored_village(commune):
    stored, _ = village_get_or_create(commune=commune, name="Thôn Nà")
    plan = import_rows([row("THÔN NÀ", "Lý Văn Một")])
    assert plan.errors == [] and plan.new_villages == [] and plan.notes == []
    assert team_of("Lý Văn Một").area == stored


def test_a_name_without_diacritics_matches_the_only_village_of_that_name(commune):
    stored, _ = village_get_or_create(commune=commune, name="Bản Phìn")
    plan = import_rows([row("ban phin", "Lý Văn Một"), row("Ban Phin", "Lý Văn Hai")])
    assert plan.errors == [] and plan.new_villages == []
    assert team_of("Lý Văn Một").area == stored == team_of("Lý Văn Hai").area
    assert villages(commune) == ["Bản Phìn"]


def test_a_new_accented_name_next_to_its_twin_is_a_new_village_with_a_warning(commune):
    stored, _ = village_get_or_create(commune=commune, name="Thôn Na")
    data = xlsx_bytes([row("Thôn Nà", "Lý Văn Một"), row("Thôn Na", "Lý Văn Hai")])
    preview = roster_plan(data, filename="thon.xlsx")
    assert preview.errors == []
    assert preview.new_villages == [f"Thôn Nà ({COMMUNE})"]
    warning = NOTE_VILLAGE_SIMILAR.format(name="Thôn Nà", commune=COMMUNE, others="“Thôn Na”")
    assert preview.notes == [warning]
    assert isinstance(preview.notes[0], str)
    assert "kiểm tra lại dấu" in warning
    assert not Membership.objects.exists()

    plan = roster_import(data, filename="thon.xlsx")
    assert plan.written and plan.notes == [warning]
    assert villages(commune) == ["Thôn Na", "Thôn Nà"]
    assert team_of("Lý Văn Hai").area == stored
    assert team_of("Lý Văn Một").area.name == "Thôn Nà"
    assert team_of("Lý Văn Một") != team_of("Lý Văn Hai")


@pytest.mark.parametrize("order", [1, -1])
def test_two_rows_differing_by_accents_are_two_villages_and_two_teams(commune, order):
    rows = [row("Thôn Nà", "Lý Văn Một"), row("Thôn Na", "Lý Văn Hai")][::order]
    plan = import_rows(rows)
    assert plan.errors == [] and plan.written
    assert sorted(plan.new_villages) == [f"Thôn Na ({COMMUNE})", f"Thôn Nà ({COMMUNE})"]
    assert len(plan.new_units) == 2
    names = ", ".join(f"“{r['Thôn/Tổ dân phố']}”" for r in rows)
    assert plan.notes == [NOTE_VILLAGE_SIMILAR_IN_FILE.format(names=names, commune=COMMUNE)]
    assert villages(commune) == ["Thôn Na", "Thôn Nà"]
    assert Unit.objects.filter(area__parent=commune).count() == 2
    assert team_of("Lý Văn Một").area.name == "Thôn Nà"
    assert team_of("Lý Văn Hai").area.name == "Thôn Na"

    # The same file again: nothing to create, change or warn about.
    again = import_rows(rows)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert again.new_villages == [] and again.new_units == [] and again.notes == []
    assert villages(commune) == ["Thôn Na", "Thôn Nà"]
    assert Membership.objects.count() == 2


def _ambiguity(row_number: int) -> RowError:
    return RowError(
        row_number,
        COL_VILLAGE,
        ERROR_VILLAGE_AMBIGUOUS.format(
            name="thon na", commune=COMMUNE, candidates="“Thôn Na”, “Thôn Nà”"
        ),
    )


def test_a_name_without_diacritics_and_two_stored_candidates_is_an_error(commune):
    village_get_or_create(commune=commune, name="Thôn Na")
    village_get_or_create(commune=commune, name="Thôn Nà")
    before = villages(commune)
    plan = import_rows([row("Tổ 1", "Lý Văn Một"), row("thon na", "Lý Văn Hai")])
    assert plan.errors == [_ambiguity(3)]
    assert "Hãy ghi tên có đủ dấu" in plan.errors[0].message
    assert not plan.written
    assert villages(commune) == before  # all or nothing: not even "Tổ 1"
    assert not Membership.objects.exists() and not Person.objects.exists()
    assert not Unit.objects.exists()


@pytest.mark.parametrize("order", [1, -1])
def test_a_name_without_diacritics_is_ambiguous_among_the_files_own_rows(commune, order):
    """ "thon na" is ambiguous once the file itself brings "Thôn Nà" next to a stored
    "Thôn Na", wherever the rows are in the file."""
    village_get_or_create(commune=commune, name="Thôn Na")
    rows = [row("thon na", "Lý Văn Một"), row("Thôn Nà", "Lý Văn Hai")][::order]
    plan = import_rows(rows)
    assert plan.errors == [_ambiguity(2 if order == 1 else 3)]
    assert villages(commune) == ["Thôn Na"]
    assert not Membership.objects.exists()


def test_the_roster_with_villages_imports_the_same_the_second_time(commune):
    village_get_or_create(commune=commune, name="Thôn Na")
    village_get_or_create(commune=commune, name="Bản Phìn")
    rows = [
        row("Thôn Na", "Lý Văn Một"),
        row("Thôn Nà", "Lý Văn Hai"),
        row("ban phin", "Lý Văn Ba"),
        row("THÔN NÀ", "Lý Văn Bốn"),
    ]
    first = import_rows(rows)
    assert first.errors == [] and first.new_villages == [f"Thôn Nà ({COMMUNE})"]
    assert len(first.new_units) == 3
    state = sorted(Membership.objects.values_list("unit__area__name", "person__full_name"))
    assert state == [
        ("Bản Phìn", "Lý Văn Ba"),
        ("Thôn Na", "Lý Văn Một"),
        ("Thôn Nà", "Lý Văn Bốn"),
        ("Thôn Nà", "Lý Văn Hai"),
    ]
    again = import_rows(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert again.new_villages == [] and again.new_units == []
    assert sorted(Membership.objects.values_list("unit__area__name", "person__full_name")) == state
