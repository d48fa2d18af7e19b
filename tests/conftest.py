"""Fixtures shared by the whole suite."""

import pytest

from tests.factories import AreaFactory
from units.choices import Edition, Level


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last.

    Playwright's sync API keeps an event loop running in the main thread once the browser
    starts, and Django refuses database calls from inside one unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Running the browser tests after everything else
    confines that setting (made in tests/e2e/conftest.py) to the browser tests.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def area_tree(db):
    """A small legacy tree: two provinces, two districts in the first, communes and
    villages, the shape the permission and subtree tests need."""
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    other_province = AreaFactory(level=Level.PROVINCE, code="11", name="Tỉnh Điện Biên")
    district = AreaFactory(
        level=Level.DISTRICT, code="058", name="Thành phố Bắc Kạn", parent=province
    )
    sibling_district = AreaFactory(
        level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province
    )
    far_district = AreaFactory(
        level=Level.DISTRICT, code="103", name="Huyện Nậm Pồ", parent=other_province
    )
    commune = AreaFactory(
        level=Level.COMMUNE, code="01834", name="Phường Nguyễn Thị Minh Khai", parent=district
    )
    sibling_commune = AreaFactory(
        level=Level.COMMUNE, code="01837", name="Phường Sông Cầu", parent=district
    )
    commune_b = AreaFactory(
        level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=sibling_district
    )
    far_commune = AreaFactory(
        level=Level.COMMUNE, code="03160", name="Xã Nà Hỳ", parent=far_district
    )
    village = AreaFactory(level=Level.VILLAGE, name="Tổ 1", type_word="tổ", parent=commune)
    return {
        "edition": Edition.LEGACY,
        "province": province,
        "other_province": other_province,
        "district": district,
        "sibling_district": sibling_district,
        "far_district": far_district,
        "commune": commune,
        "sibling_commune": sibling_commune,
        "commune_b": commune_b,
        "far_commune": far_commune,
        "village": village,
    }


@pytest.fixture
def bloc(area_tree):
    """The bloc of commune A (area_tree["commune"])."""
    from units.services import unit_create

    return unit_create(kind="bloc", area=area_tree["commune"])


@pytest.fixture
def team(area_tree):
    """The team of village "Tổ 1" in commune A."""
    from units.services import team_create_for_village

    return team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
