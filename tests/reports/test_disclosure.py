"""Small counts of sensitive attributes withheld from everything public (CONTRACTS
section 3, reports/disclosure.py), exact on the staff side."""

import pytest

from reports.disclosure import WITHHELD_NOTE, public_figures, withheld

pytestmark = pytest.mark.django_db


def figures(level: str, people: int, party: int, minority: int) -> dict:
    return {
        "area": {"code": "x", "name": "x", "level": level, "edition": "legacy"},
        "people": people,
        "women": 1,
        "party_members": party,
        "ethnic_minority": minority,
    }


@pytest.mark.parametrize(
    ("level", "people", "party", "minority", "party_shown", "minority_shown"),
    [
        ("commune", 40, 4, 20, False, True),  # a count below 5
        ("commune", 40, 36, 35, False, True),  # its complement below 5 (4 are not)
        ("commune", 40, 5, 35, True, True),  # 5 and 5: both published
        ("commune", 3, 0, 3, False, False),  # a tiny commune: nothing
        ("village", 40, 2, 20, False, True),
        ("district", 40, 1, 39, True, True),  # districts and provinces: always given
        ("province", 3, 1, 2, True, True),
    ],
)
def test_the_rule(level, people, party, minority, party_shown, minority_shown):
    stats = figures(level, people, party, minority)
    shown = public_figures(stats)
    assert (shown["party_members"] is not None) is party_shown
    assert (shown["ethnic_minority"] is not None) is minority_shown
    assert stats["party_members"] == party  # the cached set stays exact
    assert withheld(stats, "people") is False


def test_the_api_the_page_and_the_downloads_withhold_a_small_commune_count(
    client, demo, monkeypatch
):
    """Whatever the data: the figure set is made to hold 2 Party members among 30 people
    for a commune; the API gives null, the page and its downloads "dưới 5"."""
    import reports.views as views

    real = views.area_stats_cached
    commune_code = {}

    def small(place, day, versions=None, **kwargs):
        stats = dict(real(place, day, versions, **kwargs))
        if place.area is not None and place.area.level == "commune":
            commune_code["code"] = place.area.code
            stats.update(people=30, party_members=2, ethnic_minority=12)
        return stats

    monkeypatch.setattr(views, "area_stats_cached", small)
    from units.models import Area

    commune = Area.objects.filter(level="commune").order_by("code").first()
    api = client.get(f"/api/v1/stats/{commune.code}/", {"edition": commune.edition}).json()
    assert api["party_members"] is None and api["ethnic_minority"] == 12
    page = client.get(f"/thong-ke/{commune.code}/", {"edition": commune.edition})
    html = page.content.decode()
    assert "dưới 5" in html
    assert str(WITHHELD_NOTE).split(":")[0] in html
    csv = client.get(
        f"/thong-ke/{commune.code}/",
        {"edition": commune.edition, "format": "csv", "table": "thanh-phan"},
    ).content.decode("utf-8-sig")
    assert "dưới 5" in csv and ",2," not in csv
    xlsx = client.get(
        f"/thong-ke/{commune.code}/",
        {"edition": commune.edition, "format": "xlsx", "table": "thanh-phan"},
    )
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "dưới 5" in values and 2 not in values
