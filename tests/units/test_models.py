import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import AreaFactory
from units.choices import Edition, Level
from units.models import Area

pytestmark = pytest.mark.django_db


def test_path_nests_codes_and_villages_get_a_token(area_tree):
    """Official areas are addressed by their codes; a village gets a random segment."""
    assert area_tree["commune"].path == "legacy/06/058/01834/"
    village_path = area_tree["village"].path
    assert village_path.startswith("legacy/06/058/01834/v")
    assert village_path.endswith("/")


def test_subtree_is_one_query_and_does_not_leak_into_similar_prefixes(area_tree):
    """Everything under a district, in one query, without the sibling whose code starts
    with the same digits."""
    district = area_tree["district"]
    # A district code sharing the prefix "05" must not match "058"'s subtree.
    lookalike = AreaFactory(
        level=Level.DISTRICT, code="059", name="Huyện Giống", parent=area_tree["province"]
    )
    AreaFactory(level=Level.COMMUNE, code="01900", name="Xã Ngoài", parent=lookalike)
    with CaptureQueriesContext(connection) as queries:
        names = set(Area.objects.subtree(district).values_list("name", flat=True))
    assert len(queries) == 1
    assert names == {
        "Thành phố Bắc Kạn",
        "Phường Nguyễn Thị Minh Khai",
        "Phường Sông Cầu",
        "Tổ 1",
    }
    without_self = Area.objects.subtree(district, include_self=False)
    assert district not in without_self


def test_counting_communes_under_a_province_is_one_query(area_tree):
    """The count of communes under a province is a single SQL query."""
    with CaptureQueriesContext(connection) as queries:
        count = Area.objects.subtree(area_tree["province"]).filter(level=Level.COMMUNE).count()
    assert count == 3
    assert len(queries) == 1


def test_search_ignores_case_and_diacritics(area_tree):
    """ "nam po" finds Huyện Nậm Pồ; "BAC kan" finds Tỉnh Bắc Kạn and nothing unrelated."""
    assert list(Area.objects.search("nam po").values_list("name", flat=True)) == ["Huyện Nậm Pồ"]
    found = set(Area.objects.search("BAC kan").values_list("name", flat=True))
    assert found == {"Tỉnh Bắc Kạn", "Thành phố Bắc Kạn"}


def test_search_name_is_kept_in_step_with_the_name(area_tree):
    """Renaming an area through save() refreshes its folded search column."""
    village = area_tree["village"]
    village.name = "Thôn Đồng Tâm"
    village.save()
    village.refresh_from_db()
    assert village.search_name == "thon dong tam"


def test_codes_may_repeat_across_editions_but_not_within_one():
    """The same province code exists once per edition."""
    AreaFactory(level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên")
    AreaFactory(level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên", edition=Edition.V2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(level=Level.PROVINCE, code="19", name="Tỉnh Trùng Mã")


def test_village_has_no_code_and_names_are_unique_per_commune(area_tree):
    """Database constraints: no code on a village, no two villages of one name in a
    commune (another commune may reuse it)."""
    commune = area_tree["commune"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(level=Level.VILLAGE, code="12345", name="Thôn Mã", parent=commune)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(level=Level.VILLAGE, name="Tổ 1", parent=commune)
    AreaFactory(level=Level.VILLAGE, name="Tổ 1", parent=area_tree["sibling_commune"])


def test_only_provinces_lack_a_parent():
    """A commune without a parent is refused by the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(level=Level.COMMUNE, code="99999", name="Xã Mồ Côi")


def test_chain_lists_the_ancestors_bottom_up(area_tree):
    """The chain shows the area and its ancestors, read in one query."""
    village = area_tree["village"]
    with CaptureQueriesContext(connection) as queries:
        chain = village.chain()
    assert chain == "Tổ 1 › Phường Nguyễn Thị Minh Khai › Thành phố Bắc Kạn › Tỉnh Bắc Kạn"
    assert len(queries) == 1


def test_active_on_respects_validity_dates():
    """A legacy area is in force until 30/06/2025, a 2025 area from 01/07/2025."""
    import datetime

    old = AreaFactory(
        level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn",
        valid_until=datetime.date(2025, 6, 30),
    )  # fmt: skip
    new = AreaFactory(
        level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên", edition=Edition.V2025,
        valid_from=datetime.date(2025, 7, 1),
    )  # fmt: skip
    assert list(Area.objects.active_on(datetime.date(2025, 6, 30))) == [old]
    assert list(Area.objects.active_on(datetime.date(2026, 11, 21))) == [new]


def test_map_2025_placed_only_writes_the_units_a_link_places(area_tree, bloc):
    """``placed_only``: a legacy unit a link places gets its 2025 place; one no link
    reaches is not rewritten (its place stays as it was)."""
    import datetime

    from units.models import Succession, Unit, units_map_2025
    from units.services import unit_create

    province = AreaFactory(edition=Edition.V2025, level=Level.PROVINCE, code="19")
    successor = AreaFactory(level=Level.COMMUNE, code="05678", name="Xã Mới", parent=province)
    Succession.objects.create(
        level=Level.COMMUNE, predecessor=area_tree["commune"], successor=successor,
        effective_on=datetime.date(2025, 7, 1),
    )  # fmt: skip
    unlinked = unit_create(kind="bloc", area=area_tree["commune_b"])
    Unit.objects.filter(pk__in=[bloc.pk, unlinked.pk]).update(map_path=None)
    units = Unit.objects.filter(pk__in=[bloc.pk, unlinked.pk])
    assert units_map_2025(units, placed_only=True) == 1
    bloc.refresh_from_db()
    unlinked.refresh_from_db()
    assert (bloc.map_path, unlinked.map_path) == (successor.path, None)
