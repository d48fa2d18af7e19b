"""The lineage of the 2025 reorganisation: legacy province → 2025 province, legacy commune
→ 2025 commune(s), loaded by ``load_divisions`` from the vietnamadminunits package."""

import collections

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory, make_staff
from units import selectors
from units.choices import V2025_VALID_FROM, Edition, Level
from units.models import Area, Succession
from units.services import divisions_load
from units.successions import official_links

pytestmark = pytest.mark.django_db


def _package_communes():
    """Every commune of both editions as the package's dataset lists them, by the key the
    links use (a code, or "in" + the district code for an island district)."""
    from vietnamadminunits.database import get_data

    legacy = {
        ("code", r["wardCode"]) if r["wardCode"] else ("in", r["districtCode"])
        for r in get_data(fields=["wardCode", "districtCode"], table="admin_units_legacy")
    }
    new = {r["wardCode"] for r in get_data(fields=["wardCode"], table="admin_units")}
    return legacy, new


def test_every_commune_of_the_package_has_a_successor_and_a_predecessor():
    """Computed from the package: each of the 10,040 legacy communes has at least one
    2025 successor and exactly one default piece; each of the 3,321 2025 communes at least
    one predecessor; each of the 63 legacy provinces one successor among the 34."""
    legacy, new = _package_communes()
    assert (len(legacy), len(new)) == (10040, 3321)
    links = [link for link in official_links() if link.level == Level.COMMUNE]
    successors = collections.defaultdict(list)
    for link in links:
        successors[link.predecessor].append(link)
    assert set(successors) == legacy
    assert {link.successor for link in links} == new
    for pieces in successors.values():
        assert sum(p.is_default for p in pieces) == 1
        assert all(p.whole for p in pieces) == (len(pieces) == 1)
    split = [k for k, pieces in successors.items() if len(pieces) > 1]
    assert len(split) == 471
    provinces = [link for link in official_links() if link.level == Level.PROVINCE]
    assert len(provinces) == 63
    assert len({link.successor for link in provinces}) == 34
    assert len({link.predecessor for link in provinces}) == 63


def test_thai_nguyen_lineage_loads_with_the_second_edition_whichever_comes_first():
    """2025 first, then legacy: the links appear with the second load; Thái Nguyên (19)
    succeeded legacy Bắc Kạn (06) and Thái Nguyên (19); every loaded legacy commune has a
    successor and every 2025 commune a predecessor; written in a few queries."""
    first = divisions_load(edition=Edition.V2025, provinces=["19"])
    assert first.successions is None
    assert not Succession.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        second = divisions_load(edition=Edition.LEGACY, provinces=["06", "19"])
    link_writes = [q for q in queries if "units_succession" in q["sql"]]
    assert len(link_writes) < 10, len(link_writes)
    assert second.successions.created == Succession.objects.count() > 0

    thai_nguyen = Area.objects.get(edition=Edition.V2025, code="19")
    assert [p.code for p in selectors.predecessor_provinces(thai_nguyen)] == ["06", "19"]
    bac_kan = Area.objects.get(edition=Edition.LEGACY, code="06")
    assert selectors.successor_province(bac_kan) == thai_nguyen

    legacy_communes = Area.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE)
    new_communes = Area.objects.filter(edition=Edition.V2025, level=Level.COMMUNE)
    linked_from = set(Succession.objects.values_list("predecessor_id", flat=True))
    linked_to = set(Succession.objects.values_list("successor_id", flat=True))
    assert set(legacy_communes.values_list("pk", flat=True)) <= linked_from
    assert set(new_communes.values_list("pk", flat=True)) <= linked_to
    # Bắc Kạn 108 → 37 (docs/REORGANISATION.md): no split commune in the seed provinces.
    bac_kan_ids = set(Area.objects.subtree(bac_kan).values_list("pk", flat=True))
    assert len(bac_kan_ids & linked_from) == 1 + 108
    assert not Succession.objects.filter(whole=False, predecessor__in=bac_kan_ids).exists()
    assert Succession.objects.filter(whole=False).exists()  # legacy Thái Nguyên has some
    link = Succession.objects.get(predecessor__edition=Edition.LEGACY, predecessor__code="01834")
    assert (link.whole, link.is_default, link.effective_on) == (True, True, V2025_VALID_FROM)
    assert link.successor.parent == thai_nguyen

    # Idempotent, whichever edition is loaded again.
    snapshot = list(Succession.objects.values_list("pk", "predecessor", "successor", "whole"))
    again = divisions_load(edition=Edition.V2025, provinces=["19"])
    assert (again.successions.created, again.successions.updated) == (0, 0)
    assert again.successions.unchanged == len(snapshot)
    assert list(Succession.objects.values_list("pk", "predecessor", "successor", "whole")) == (
        snapshot
    )


def test_legacy_first_gives_the_same_links():
    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    assert not Succession.objects.exists()
    divisions_load(edition=Edition.V2025, provinces=["19"])
    pairs = set(
        Succession.objects.values_list("predecessor__code", "successor__code", "is_default")
    )
    assert ("06", "19", True) in pairs
    assert len([p for p in pairs if p[0] != "06"]) == 108


def test_a_split_commune_has_pieces_and_one_default():
    """Hà Nội has split communes: each has several successors, the package's default
    piece first; the 2025 piece lists it among its predecessors."""
    divisions_load(edition=Edition.LEGACY, provinces=["01"])
    divisions_load(edition=Edition.V2025, provinces=["01"])
    split_ids = (
        Succession.objects.filter(whole=False).values_list("predecessor_id", flat=True).distinct()
    )
    assert len(split_ids) > 50
    legacy = Area.objects.get(pk=split_ids[0])
    pieces = selectors.successor_communes(legacy)
    assert len(pieces) >= 2
    assert pieces[0].succession.is_default
    assert not any(p.succession.is_default for p in pieces[1:])
    assert not any(p.succession.whole for p in pieces)
    assert selectors.default_successor(legacy) == pieces[0]
    for piece in pieces:
        assert legacy in selectors.predecessor_communes(piece)
    assert selectors.default_successor_ids([legacy.pk]) == {legacy.pk: pieces[0].pk}


def test_island_district_without_communes_is_linked():
    """Legacy Côn Đảo (Bà Rịa - Vũng Tàu, a district with no commune) went to the special
    zone Côn Đảo of Hồ Chí Minh city."""
    divisions_load(edition=Edition.LEGACY, provinces=["77"])
    divisions_load(edition=Edition.V2025, provinces=["79"])
    island = Area.objects.get(edition=Edition.LEGACY, level=Level.COMMUNE, code__isnull=True)
    [successor] = selectors.successor_communes(island)
    assert "Côn Đảo" in successor.name
    assert successor.parent.code == "79"


def test_links_of_a_batch_survive_a_reload():
    """Links a carry-over recorded (with a batch id) are not the loader's to remove."""
    import uuid

    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    divisions_load(edition=Edition.V2025, provinces=["19"])
    old_commune = Area.objects.get(edition=Edition.LEGACY, code="01834")
    old_village = AreaFactory(level=Level.VILLAGE, name="Thôn Nà Pục", parent=old_commune)
    new_village = AreaFactory(
        level=Level.VILLAGE,
        name="Thôn Nà Pục",
        parent=selectors.default_successor(old_commune),
    )
    Succession.objects.create(
        level=Level.VILLAGE,
        predecessor=old_village,
        successor=new_village,
        effective_on=V2025_VALID_FROM,
        batch_id=uuid.uuid4(),
    )
    result = divisions_load(edition=Edition.V2025, provinces=["19"])
    assert result.successions.deleted == 0
    assert Succession.objects.filter(predecessor=old_village).exists()


def test_staff_page_and_admin_show_predecessors_and_successors(client):
    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    divisions_load(edition=Edition.V2025, provinces=["19"])
    legacy = Area.objects.get(edition=Edition.LEGACY, code="01834")
    new = selectors.default_successor(legacy)
    client.force_login(make_staff())

    page = client.get(reverse("members:commune_detail", args=[new.pk])).content.decode()
    assert "Sắp xếp đơn vị hành chính 2025" in page
    assert legacy.name in page
    assert reverse("members:commune_detail", args=[legacy.pk]) in page
    page = client.get(reverse("members:commune_detail", args=[legacy.pk])).content.decode()
    assert new.name in page
    assert "toàn bộ" in page

    page = client.get(reverse("admin:units_area_change", args=[new.pk])).content.decode()
    assert f"từ {legacy.name} (toàn bộ)" in page
    page = client.get(reverse("admin:units_area_change", args=[legacy.pk])).content.decode()
    assert f"sang {new.name} (toàn bộ)" in page


def test_links_follow_the_scope(client):
    """The 2025 province's staff reach the legacy communes (the predecessors' history:
    docs/REORGANISATION.md, "People across the border"), so the lineage links them; a
    commune officer of the 2025 commune reads their names without a link."""
    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    divisions_load(edition=Edition.V2025, provinces=["19"])
    thai_nguyen = Area.objects.get(edition=Edition.V2025, code="19")
    legacy = Area.objects.get(edition=Edition.LEGACY, code="01834")
    new = selectors.default_successor(legacy)
    legacy_url = reverse("members:commune_detail", args=[legacy.pk])
    client.force_login(make_staff("province_staff", areas=[thai_nguyen]))
    page = client.get(reverse("members:commune_detail", args=[new.pk])).content.decode()
    assert legacy_url in page
    client.force_login(make_staff("commune_officer", areas=[new]))
    response = client.get(reverse("members:commune_detail", args=[new.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert legacy.name in page
    assert legacy_url not in page
