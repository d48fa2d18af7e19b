"""The official village list of a commune or a province, loaded from a workbook: all or
nothing, villages already there kept, the missing ones created."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.imports.villages import (
    ERROR_VILLAGE_NAME_REQUIRED,
    ERROR_VILLAGE_TYPE,
    village_list_import,
)
from members.selectors import commune_overview
from portal.spreadsheets import ERROR_NOT_SPREADSHEET, RowError
from tests.factories import make_staff
from tests.members.conftest import xlsx_bytes
from units.models import Area

pytestmark = pytest.mark.django_db

HEADERS = ("Mã xã", "Xã", "Thôn/Tổ dân phố", "Loại")


def rows(*lines):
    return [dict(zip(HEADERS, line, strict=True)) for line in lines]


def villages(commune):
    return sorted(
        Area.objects.filter(parent=commune, level="village").values_list("name", flat=True)
    )


def test_missing_villages_are_created_and_existing_ones_kept(area_tree):
    commune = area_tree["commune"]
    data = xlsx_bytes(
        rows(
            ("01834", "Phường Nguyễn Thị Minh Khai", "Tổ 1", ""),  # already there
            (1834, "", "Nà Pục", "Thôn"),  # lost its 0; "Thôn Nà Pục"
            ("01834", "", "Tổ dân phố 7", ""),
            ("01849", "Xã Bằng Thành", "Bản Phìn", "bản"),
        ),
        headers=HEADERS,
    )
    result = village_list_import(data, filename="thon.xlsx", edition="legacy")
    assert result.errors == []
    assert result.written and result.created_count == 3 and result.existing == 1
    assert villages(commune) == ["Thôn Nà Pục", "Tổ 1", "Tổ dân phố 7"]
    made = Area.objects.get(parent=commune, name="Tổ dân phố 7")
    assert made.type_word == "tổ dân phố" and made.path.startswith(commune.path)
    assert Area.objects.get(name="Bản Phìn").parent == area_tree["commune_b"]
    # The villages count now: all three are without a team on the commune page.
    from tests.factories import make_staff as staff

    overview = commune_overview(user=staff(), commune=commune)
    assert len(overview.villages_without_team) == 3
    # Loaded again: nothing new.
    again = village_list_import(data, filename="thon.xlsx", edition="legacy")
    assert (again.created_count, again.existing, again.written) == (0, 4, False)


def test_any_error_writes_nothing(area_tree):
    commune = area_tree["commune"]
    data = xlsx_bytes(
        rows(
            ("01834", "", "Thôn Mới", ""),
            ("01834", "", "", "Thôn"),
            ("01834", "", "Khu 3", "Khu tập thể"),
            ("99999", "", "Thôn Xa", ""),
        ),
        headers=HEADERS,
    )
    result = village_list_import(data, filename="thon.xlsx", edition="legacy")
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Thôn/Tổ dân phố"), (4, "Loại"), (5, "Mã xã"),
    ]  # fmt: skip
    assert result.errors[0].message == str(ERROR_VILLAGE_NAME_REQUIRED)
    assert result.errors[1].message == ERROR_VILLAGE_TYPE.format(value="Khu tập thể")
    assert not result.written
    assert villages(commune) == ["Tổ 1"]


def test_communes_outside_the_users_area_are_refused(area_tree):
    data = xlsx_bytes(rows(("03160", "", "Bản Mới", "")), headers=HEADERS)
    result = village_list_import(
        data, filename="thon.xlsx", edition="legacy", scope=lambda c: c.code == "01834"
    )
    assert result.errors[0].row == 2 and "ngoài địa bàn" in result.errors[0].message
    assert not Area.objects.filter(name="Bản Mới").exists()


def test_a_file_that_is_not_a_spreadsheet(area_tree):
    result = village_list_import(b"Kinh gui cac dong chi.\n", filename="thu.txt")
    assert result.errors == [RowError(0, "", ERROR_NOT_SPREADSHEET.format(filename="thu.txt"))]


def test_the_staff_page_loads_a_list_within_the_officers_commune(client, area_tree):
    officer = make_staff("commune_officer", [area_tree["commune"]], username="xa")
    client.force_login(officer)
    url = reverse("members:village_list_upload")
    assert client.get(url).status_code == 200
    data = xlsx_bytes(rows(("01834", "", "Tổ 8", ""), ("01834", "", "Tổ 9", "")), headers=HEADERS)
    response = client.post(url, {"file": SimpleUploadedFile("thon.xlsx", data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="villages-created">2<' in html
    assert "Tổ 8, Tổ 9" in html
    bad = xlsx_bytes(rows(("01837", "", "Tổ 1", "")), headers=HEADERS)
    response = client.post(url, {"file": SimpleUploadedFile("thon.xlsx", bad)})
    assert response.status_code == 400
    assert "ngoài địa bàn bạn quản lý" in response.content.decode()
    assert villages(area_tree["sibling_commune"]) == []
