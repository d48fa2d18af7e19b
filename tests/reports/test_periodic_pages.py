"""The periodic reports' staff pages on the 2025 map: a commune officer completes the
written sections and submits to the province (then the commune can no longer change
it); provincial staff see who has and has not submitted, with the communes' figures;
the downloads (.docx with the written sections, .xlsx with the figures); another
province's staff get 404."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from accounts.choices import StaffRole
from reports.periodic.models import PeriodicReport
from tests.factories import AreaFactory, make_staff
from tests.work.conftest import province_2025  # noqa: F401  (fixture)
from units.choices import Edition, Level

pytestmark = pytest.mark.django_db

PERIOD = "2025-Q4"


@pytest.fixture
def people(province_2025):  # noqa: F811
    other = AreaFactory(
        level=Level.PROVINCE, edition=Edition.V2025, code="20", name="Tỉnh Lạng Sơn"
    )
    return {
        **province_2025,
        "officer": make_staff(StaffRole.COMMUNE_OFFICER, [province_2025["commune"]], username="xa"),
        "province_staff": make_staff(
            StaffRole.PROVINCE_STAFF, [province_2025["province"]], username="tinh"
        ),
        "other": make_staff(StaffRole.PROVINCE_STAFF, [other], username="tinh-khac"),
    }


def _edit(code):
    return reverse("reports:periodic_edit", args=[code, PERIOD])


def test_a_commune_completes_and_submits_and_the_province_sees_it(client, people):
    client.force_login(people["officer"])
    sections = {
        "situation": "Nhân dân phấn khởi, tin tưởng.",
        "results": "Hoàn thành các chỉ tiêu.",
        "shortcomings": "Một số ý kiến trả lời chậm.",
        "proposals": "Đề nghị tập huấn kỹ năng dân vận.",
    }
    assert client.post(_edit("01843"), sections).status_code == 302
    report = PeriodicReport.objects.get()
    assert (report.situation, report.submitted_at) == (sections["situation"], None)
    document = Document(
        io.BytesIO(
            client.get(reverse("reports:periodic_download", args=["01843", PERIOD, "docx"])).content
        )
    )
    texts = [p.text for p in document.paragraphs]
    for text in sections.values():
        assert text in texts
    workbook = load_workbook(
        io.BytesIO(
            client.get(reverse("reports:periodic_download", args=["01843", PERIOD, "xlsx"])).content
        )
    )
    assert workbook.active["A1"].value == "Phường Bắc Kạn: số liệu quý IV năm 2025"
    # The province's page before the submission: not submitted.
    client.force_login(people["province_staff"])
    page = client.get(reverse("reports:periodic_list"), {"period": PERIOD})
    assert page.context["rows"][0]["submitted"] == 0
    # Submitted: locked for the commune, counted by the province.
    client.force_login(people["officer"])
    assert client.post(_edit("01843"), {**sections, "submit": "1"}).status_code == 302
    response = client.post(_edit("01843"), {**sections, "situation": "Sửa sau khi gửi"})
    assert response.status_code == 200
    assert any(
        "Báo cáo đã gửi lên tỉnh ngày" in str(e)
        for e in response.context["form"].errors.get("__all__", [])
    )
    assert PeriodicReport.objects.get().situation == sections["situation"]
    client.force_login(people["province_staff"])
    page = client.get(reverse("reports:periodic_list"), {"period": PERIOD})
    row = page.context["rows"][0]
    assert row["area"] == people["province"] and row["submitted"] == 1
    assert "1/1 xã, phường đã gửi báo cáo." in page.content.decode()


def test_outside_the_area_or_a_bad_period_is_404(client, people):
    client.force_login(people["other"])
    assert client.get(_edit("01843")).status_code == 404
    assert client.get(_edit("19")).status_code == 404
    client.force_login(people["province_staff"])
    assert client.get(_edit("19")).status_code == 200
    assert client.get(reverse("reports:periodic_edit", args=["19", "2025-13"])).status_code == 404
    assert not PeriodicReport.objects.exists()


def test_the_command_writes_the_saved_sections(people, tmp_path):
    """``periodic_report`` puts what staff saved in the document."""
    from django.core.management import call_command

    from reports.periodic.periods import parse_period
    from reports.periodic.services import periodic_report_save

    periodic_report_save(
        area=people["province"],
        period=parse_period(PERIOD),
        acting_user=people["province_staff"],
        proposals="Đề nghị bổ sung kinh phí hoạt động cho Tổ dân vận.",
    )
    output = tmp_path / "tinh.docx"
    call_command("periodic_report", "--area", "19", "--period", PERIOD, "--output", str(output))
    texts = [p.text for p in Document(str(output)).paragraphs]
    assert "Đề nghị bổ sung kinh phí hoạt động cho Tổ dân vận." in texts
    assert texts.count("(Nội dung do cán bộ hoàn thiện.)") == 3
