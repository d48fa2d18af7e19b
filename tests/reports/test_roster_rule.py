"""The roster-size rule and the other roster-health conditions are written once
(``members.health``): the roster page, the bloc form, the staff dashboard and the list
behind its figure all follow the same numbers, and each condition's SQL side picks exactly
the units its Python side warns about."""

import re

import pytest
from django.urls import reverse

from accounts.choices import StaffRole
from members.choices import Role
from members.health import (
    CONDITIONS,
    ROSTER_SIZE,
    WARNING_BLOC_SIZE,
    Counts,
    RosterSize,
    units_with_roster_counts,
)
from members.services import membership_add
from tests.factories import make_staff
from tests.reports.test_dashboard import figures
from tests.reports.test_pages import parse_tables
from units.choices import UnitKind
from units.models import Unit
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db


def _seat(unit, count, *, heads=1, party=True):
    """``count`` new people seated in ``unit``, the first ``heads`` of them as heads."""
    for number in range(count):
        membership_add(
            unit=unit,
            full_name=f"{unit.name} thành viên {number + 1}",
            birth_year=1960 + number,
            role=Role.HEAD if number < heads else Role.MEMBER,
            party_member=party,
        )
    return unit


@pytest.fixture
def officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="xa-a")


def _outside_size(client, officer, bloc) -> dict:
    """What each door says about the bloc's size: the warning on its roster page, the
    dashboard's row (label and count), the list behind it, the bloc form's help."""
    client.force_login(officer)
    page = client.get(reverse("members:unit_detail", args=[bloc.pk])).text
    dashboard = figures(client.get(reverse("reports:dashboard"), {"year": 2026}).text)
    row = next(r for r in dashboard["danh-sach"] if r[0].startswith("Số thành viên ngoài"))
    listed = parse_tables(
        client.get(reverse("reports:dashboard_list", args=["ngoai-quy-mo"])).text
    ).tables
    form = client.get(reverse("members:bloc_create", args=[bloc.area_id])).text
    return {
        "warned": "ngoài mức" in page,
        "label": row[0],
        "count": row[1],
        "listed": [r[0] for rows in listed.values() for r in rows[1:] if r[0] == bloc.name],
        "form": re.findall(r"từ (\d+) đến (\d+) thành viên", form),
    }


def test_one_change_of_the_sizes_changes_every_door(client, monkeypatch, area_tree, officer):
    """A bloc of 8 is within 7–13: no warning, not counted, not listed. With the bloc
    size set to 9–13 in ``members.health`` alone, the roster page warns, the dashboard
    counts and lists it under a label that reads 9–13, and the bloc form says so."""
    bloc = _seat(unit_create(kind="bloc", area=area_tree["commune"]), 8)
    assert _outside_size(client, officer, bloc) == {
        "warned": False,
        "label": "Số thành viên ngoài quy định (khối 7–13, tổ 7–10 người)",
        "count": "0",
        "listed": [],
        "form": [("7", "13")],
    }
    monkeypatch.setitem(ROSTER_SIZE, "bloc", RosterSize(9, 13))
    assert _outside_size(client, officer, bloc) == {
        "warned": True,
        "label": "Số thành viên ngoài quy định (khối 9–13, tổ 7–10 người)",
        "count": "1",
        "listed": [bloc.name],
        "form": [("9", "13")],
    }
    client.force_login(officer)
    page = client.get(reverse("members:unit_detail", args=[bloc.pk])).text
    assert WARNING_BLOC_SIZE.format(count=8, low=9, high=13) in page


def test_each_condition_selects_in_sql_the_units_it_warns_about(area_tree):
    """For units of every kind and shape (too small, too large, no head, two heads, a
    team head outside the Party, a healthy community team), a condition's SQL filter
    returns exactly the units whose counts break it in Python."""
    a, b = area_tree["commune"], area_tree["sibling_commune"]
    _seat(unit_create(kind="bloc", area=a), 6, heads=0)
    _seat(unit_create(kind="bloc", area=b), 14, heads=2)
    _seat(team_create_for_village(commune=a, village_name="Tổ 1"), 10, party=False)
    _seat(team_create_for_village(commune=a, village_name="Tổ 2"), 11)
    community = team_create_for_village(
        commune=b, village_name="Thôn Nà Cà", kind=UnitKind.COMMUNITY_TEAM
    )
    _seat(community, 7)
    units = list(units_with_roster_counts(Unit.objects.all()))
    broken_somewhere = set()
    for condition in CONDITIONS:
        in_python = {
            u.pk
            for u in units
            if condition.broken(u.kind, Counts(u.active_count, u.head_count, u.heads_not_party))
        }
        in_sql = set(
            units_with_roster_counts(Unit.objects.all())
            .filter(condition.where())
            .values_list("pk", flat=True)
        )
        assert in_python == in_sql, condition.key
        assert in_python, condition.key  # every condition is met by some unit here
        broken_somewhere |= in_python
    assert community.pk not in broken_somewhere
    assert ROSTER_SIZE == {"bloc": (7, 13), "team": (7, 10)}
