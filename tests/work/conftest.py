"""Fixtures of the daily-work tests: accounts on the shared legacy tree (commune A and
its sibling B, their district and province, another province), a 2025 province with
one commune for the per-province rule, and small helpers. Dates are always computed
from ``timezone.localdate()`` at the time of the test, never written as constants."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from accounts.choices import StaffRole
from tests.factories import AreaFactory, make_staff
from units.choices import Edition, Level
from units.services import team_create_for_village, unit_create


@pytest.fixture
def today():
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="can-bo-a")


@pytest.fixture
def sibling_officer(area_tree):
    return make_staff(
        StaffRole.COMMUNE_OFFICER, [area_tree["sibling_commune"]], username="can-bo-b"
    )


@pytest.fixture
def province_staff(area_tree):
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="can-bo-tinh")


@pytest.fixture
def other_province_staff(area_tree):
    return make_staff(
        StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="can-bo-tinh-khac"
    )


@pytest.fixture
def news_editor(db):
    return make_staff(StaffRole.NEWS_EDITOR, username="bien-tap")


@pytest.fixture
def sibling_bloc(area_tree):
    return unit_create(kind="bloc", area=area_tree["sibling_commune"])


@pytest.fixture
def far_team(area_tree):
    """A team in the other province."""
    return team_create_for_village(commune=area_tree["far_commune"], village_name="Bản Nà Hỳ")


@pytest.fixture
def province_2025(db):
    """A 2025 province (valid from 01/07/2025) with one commune and its bloc."""
    province = AreaFactory(
        level=Level.PROVINCE,
        edition=Edition.V2025,
        code="19",
        name="Tỉnh Thái Nguyên",
        valid_from=datetime.date(2025, 7, 1),
    )
    commune = AreaFactory(
        level=Level.COMMUNE,
        code="01843",
        name="Phường Bắc Kạn",
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )
    bloc = unit_create(kind="bloc", area=commune)
    return {"province": province, "commune": commune, "bloc": bloc}


def photo_bytes(width=640, height=480, *, fmt="JPEG", gps=True) -> bytes:
    """A picture as a phone sends it: with EXIF holding a camera model and a GPS
    position (tag 0x8825) when ``gps``."""
    picture = Image.new("RGB", (width, height), (30, 120, 60))
    buffer = io.BytesIO()
    if gps and fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0110] = "Điện thoại thử"
        exif[0x8825] = {1: "N", 2: (21.0, 35.0, 0.0), 3: "E", 4: (105.0, 50.0, 0.0)}
        picture.save(buffer, format=fmt, exif=exif)
    else:
        picture.save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
