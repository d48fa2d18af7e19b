"""Imports that know the map: a file in the other list of communes gets one message,
and the upload page offers the list of the user's areas first."""

import pytest
from django.urls import reverse

from members.imports import roster_import
from members.imports.editions import (
    ERROR_FILE_OTHER_EDITION,
    edition_for_user,
    edition_mismatch,
)
from members.models import Membership
from tests.factories import make_staff
from tests.members.conftest import TEAM_ROW, team_rows, xlsx_bytes
from units.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_maps(load_province):
    """Legacy Bắc Kạn (06) and 2025 Thái Nguyên (19), which absorbed it."""
    legacy = load_province("legacy", "06")
    new = load_province("2025", "19")
    return legacy, new


def legacy_rows(legacy, *, names: bool = True, count: int = 12):
    communes = list(
        Area.objects.filter(
            edition="legacy", level="commune", path__startswith=legacy.path
        ).order_by("code")[:count]
    )
    return [
        {
            **TEAM_ROW,
            "Mã xã": c.code,
            "Xã": c.name if names else "",
            "Họ và tên": f"Người Thử {i}",
        }
        for i, c in enumerate(communes)
    ]


def test_a_legacy_file_read_as_2025_gets_one_message_and_writes_nothing(both_maps):
    legacy, _new = both_maps
    rows = legacy_rows(legacy)
    plan = roster_import(xlsx_bytes(rows), filename="cu.xlsx", edition="2025")
    assert len(plan.errors) == 1
    error = plan.errors[0]
    assert error.row == 0 and error.column == ""
    assert error.message.startswith("Tệp này dùng danh sách xã trước 01/07/2025: 12/12 xã")
    assert "chọn danh mục “Trước 01/07/2025" in error.message or "“" in error.message
    assert not Membership.objects.exists()
    # The same file in its own list goes through.
    plan = roster_import(xlsx_bytes(rows), filename="cu.xlsx", edition="legacy")
    assert plan.errors == [] and plan.created == 12


def test_codes_without_names_are_judged_by_the_codes(both_maps):
    legacy, _new = both_maps
    pairs = [(r["Mã xã"], "") for r in legacy_rows(legacy, names=False, count=40)]
    message = edition_mismatch(pairs, edition="2025")
    assert message is not None and "trước 01/07/2025" in message
    assert edition_mismatch(pairs, edition="legacy") is None


def test_a_2025_file_with_a_few_mistakes_keeps_its_row_errors(both_maps):
    rows = team_rows(3)
    rows[1]["Xã"] = "Phường Không Có"
    plan = roster_import(xlsx_bytes(rows), filename="moi.xlsx", edition="2025")
    assert [e.row for e in plan.errors] == [3]
    assert plan.errors[0].column == "Xã"


def test_a_file_that_fits_both_lists_is_read_in_the_chosen_one(both_maps):
    """Codes found in both lists and no names: nothing to say, the choice decides."""
    new_codes = set(
        Area.objects.filter(edition="2025", level="commune").values_list("code", flat=True)
    )
    old_codes = set(
        Area.objects.filter(edition="legacy", level="commune").values_list("code", flat=True)
    )
    shared = sorted(new_codes & old_codes)[:5]
    assert shared
    assert edition_mismatch([(c, "") for c in shared], edition="2025") is None
    assert edition_mismatch([(c, "") for c in shared], edition="legacy") is None
    assert edition_mismatch([], edition="2025") is None


def test_the_message_names_both_lists():
    message = ERROR_FILE_OTHER_EDITION.format(
        other="trước 01/07/2025", fit_other=3, total=4, fit=1, edition="từ 01/07/2025",
        other_label="Trước 01/07/2025",
    )  # fmt: skip
    assert message.startswith("Tệp này dùng danh sách xã trước 01/07/2025")


def test_the_edition_offered_first_is_the_one_of_the_users_areas(both_maps):
    legacy, new = both_maps
    loaded = ["2025", "legacy"]
    legacy_officer = make_staff("commune_officer", areas=[legacy])
    new_officer = make_staff("commune_officer", areas=[new])
    mixed = make_staff("province_staff", areas=[legacy, new])
    admin = make_staff()
    assert edition_for_user(legacy_officer, loaded) == "legacy"
    assert edition_for_user(new_officer, loaded) == "2025"
    assert edition_for_user(mixed, loaded) == "2025"
    assert edition_for_user(admin, loaded) == "2025"
    assert edition_for_user(legacy_officer, ["2025"]) == "2025"


def test_the_upload_page_offers_the_list_of_the_users_areas(client, both_maps):
    legacy, _new = both_maps
    client.force_login(make_staff("province_staff", areas=[legacy]))
    response = client.get(reverse("members:import_upload"))
    assert response.context["form"].fields["edition"].initial == "legacy"
    assert response.context["form"]["edition"].value() == "legacy"


def test_the_upload_page_tells_the_officer_once(client, both_maps):
    """The whole-file message at the top, no table of row errors."""
    legacy, new = both_maps
    client.force_login(make_staff("province_staff", areas=[new]))
    data = xlsx_bytes(legacy_rows(legacy))
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("cu.xlsx", data, content_type="application/octet-stream")
    response = client.post(reverse("members:import_upload"), {"file": file, "edition": "2025"})
    page = client.get(response["Location"])
    assert [e["row"] for e in page.context["errors"]] == [0]
    html = page.content.decode()
    assert "Tệp này dùng danh sách xã trước 01/07/2025" in html
    assert 'data-testid="import-errors"' not in html


def test_the_page_shows_the_first_errors_and_counts_every_kind(client, both_maps):
    """120 bad rows: 50 listed, a count per kind, the rest in the error report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members import views_imports

    _legacy, new = both_maps
    client.force_login(make_staff("province_staff", areas=[new]))
    rows = team_rows(120)
    for row in rows[:80]:
        row["Dân tộc"] = "Xyz"
    for row in rows[80:]:
        row["Số điện thoại"] = "12"
    file = SimpleUploadedFile("loi.xlsx", xlsx_bytes(rows), content_type="application/octet-stream")
    response = client.post(reverse("members:import_upload"), {"file": file, "edition": "2025"})
    page = client.get(response["Location"])
    context = page.context
    assert len(context["row_errors"]) == views_imports.ERRORS_SHOWN == 50
    assert context["row_errors_total"] == 120
    assert context["error_kinds"] == [
        ("Dân tộc “…” không có trong danh mục 54 dân tộc Việt Nam.", 80),
        (
            "Số điện thoại “…” không hợp lệ: cần 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), "
            "hoặc số cố định 11 chữ số bắt đầu bằng 02.",
            40,
        ),
    ]
    html = page.content.decode()
    assert 'data-testid="import-error-kinds"' in html
    assert "50 lỗi đầu tiên trong 120 lỗi" in html
    assert html.count('<td data-label="Dòng">') == 50
