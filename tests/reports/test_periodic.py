"""Periodic reports: the period's words, the figures against straight counts (in a
constant number of queries), and ``periodic_report`` (CONTRACTS section 2) writing a
Word document in the Party's layout that python-docx opens: the header lines, the
title, the figures, the written sections; an unknown area or period exits 1.

The records are dated in the fourth quarter of 2025 (fixed days in the past, on the
2025 map), so nothing depends on the day the test runs."""

import datetime
import io

import pytest
from django.core.management import call_command
from docx import Document

from exemplars.models import Exemplar
from members.models import Membership
from members.services import membership_add, membership_end
from reports.periodic.document import PARTY, PLACEHOLDER, SECTIONS
from reports.periodic.figures import periodic_figures
from reports.periodic.periods import parse_period
from tests.exemplars.conftest import recognise, register
from tests.work.conftest import province_2025  # noqa: F401  (fixture)
from units.services import team_create_for_village
from work import services_opinions as steps
from work.models import Activity, Opinion
from work.services import activity_create

pytestmark = pytest.mark.django_db

D = datetime.date
Q4 = parse_period("2025-Q4")


def test_periods_are_read_as_the_contract_writes_them():
    assert (Q4.date_from, Q4.date_to, Q4.label) == (
        D(2025, 10, 1),
        D(2025, 12, 31),
        "quý IV năm 2025",
    )
    month = parse_period("2026-02")
    assert (month.date_from, month.date_to, month.label) == (
        D(2026, 2, 1), D(2026, 2, 28), "tháng 2 năm 2026"
    )  # fmt: skip
    year = parse_period("2026")
    assert (year.date_from, year.date_to, year.label) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
        "năm 2026",
    )
    for bad in ("2026-13", "2026-Q5", "26", "2026/11", ""):
        with pytest.raises(ValueError) as caught:
            parse_period(bad)
        assert str(caught.value) == (
            f"Kỳ báo cáo “{bad}” không hợp lệ: ghi 2026-11 (tháng), 2026-Q4 (quý) hoặc 2026 (năm)."
        )


@pytest.fixture
def records(province_2025):  # noqa: F811
    """Activities, opinions, models and seats of a 2025 province's commune, inside
    and outside the fourth quarter of 2025."""
    bloc, commune = province_2025["bloc"], province_2025["commune"]
    team = team_create_for_village(commune=commune, village_name="Tổ 3")
    for unit, day, kind, reached in (
        (bloc, D(2025, 10, 5), "propaganda", 120),
        (team, D(2025, 11, 9), "propaganda", 45),
        (team, D(2025, 12, 1), "work_days", 30),
        (bloc, D(2025, 9, 30), "meeting", 80),  # before the quarter
    ):
        activity_create(
            unit=unit, kind=kind, date=day, participants=6, people_reached=reached,
            work_days=12 if kind == "work_days" else None,
        )  # fmt: skip
    answered = steps.opinion_receive(
        unit=bloc, received_on=D(2025, 10, 2), channel="phone", topic="land", summary="Đất"
    )
    steps.opinion_answer(
        opinion=answered, answer="Đã đo lại", answered_by="UBND xã", answered_on=D(2025, 10, 10)
    )
    steps.opinion_receive(  # overdue at the quarter's end
        unit=team, received_on=D(2025, 11, 1), channel="zalo", topic="environment", summary="Rác"
    )
    steps.opinion_receive(  # waiting, not overdue yet on 31/12
        unit=team, received_on=D(2025, 12, 28), channel="zalo", topic="other", summary="Đèn"
    )
    model = register(commune, registered_on=D(2025, 10, 20), field="culture")
    recognise(model, decision_date=D(2025, 12, 15))
    register(commune, registered_on=D(2025, 11, 3))
    for name, start in (("Lý Văn Một", D(2025, 10, 1)), ("Hà Thị Hai", D(2025, 7, 15))):
        membership_add(unit=team, full_name=name, birth_year=1970, start_date=start)
    membership_end(membership=Membership.objects.get(person__full_name="Hà Thị Hai"),
                   end_date=D(2025, 11, 30))  # fmt: skip
    return province_2025


def _straight(path):
    lo, hi = Q4.date_from, Q4.date_to
    acts = [
        a for a in Activity.objects.all() if a.area_path.startswith(path) and lo <= a.date <= hi
    ]
    ops = [o for o in Opinion.objects.all() if o.area_path.startswith(path)]
    models = [e for e in Exemplar.objects.all() if e.area_path.startswith(path)]
    seats = [m for m in Membership.objects.all() if m.area_path.startswith(path)]
    return {
        "activities": len(acts),
        "people_reached": sum(a.people_reached for a in acts),
        "propaganda": sum(a.kind == "propaganda" for a in acts),
        "received": sum(lo <= o.received_on <= hi for o in ops),
        "answered": sum(o.answered_on is not None and lo <= o.answered_on <= hi for o in ops),
        "overdue": sum(o.overdue_on(hi) for o in ops),
        "registered": sum(lo <= e.registered_on <= hi for e in models),
        "recognised": sum(e.is_public and lo <= e.decision_date <= hi for e in models),
        "joined": sum(m.start_date is not None and lo <= m.start_date <= hi for m in seats),
        "left": sum(m.end_date is not None and lo <= m.end_date <= hi for m in seats),
    }


def test_the_figures_equal_straight_counts_in_a_constant_number_of_queries(
    records, django_assert_max_num_queries
):
    path = records["province"].path
    with django_assert_max_num_queries(5):
        figures = periodic_figures(path=path, period=Q4)
    expected = _straight(path)
    assert expected["activities"] == 3 and expected["overdue"] == 1  # the data is as meant
    activities, opinions = figures["activities"], figures["opinions"]
    assert activities["total"]["count"] == expected["activities"]
    assert activities["total"]["people_reached"] == expected["people_reached"]
    assert activities["by_kind"]["propaganda"]["count"] == expected["propaganda"]
    assert activities["by_kind"]["work_days"]["work_days"] == 12
    assert (opinions["received"], opinions["answered"], opinions["overdue"]) == (
        expected["received"], expected["answered"], expected["overdue"]
    )  # fmt: skip
    assert (figures["models"]["registered"], figures["models"]["recognised"]) == (
        expected["registered"], expected["recognised"]
    )  # fmt: skip
    assert figures["models"]["by_field"]["culture"] == {"registered": 1, "recognised": 1}
    assert (figures["roster"]["joined"], figures["roster"]["left"]) == (
        expected["joined"], expected["left"]
    )  # fmt: skip
    assert figures["ratings"] is None  # a quarter: no ratings
    with django_assert_max_num_queries(6):
        yearly = periodic_figures(path=path, period=parse_period("2025"))
    assert yearly["ratings"] == {"levels": {"1": 0, "2": 0, "3": 0, "4": 0}, "total": 0}


def _texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return texts


def _row(document, label: str) -> list[str]:
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            if cells[0] == label:
                return cells
    raise AssertionError(label)


def test_the_command_writes_the_party_layout_with_the_figures(records, tmp_path, capsys):
    output = tmp_path / "bao-cao.docx"
    call_command("periodic_report", "--area", "19", "--period", "2025-Q4", "--output", str(output))
    assert "Đã ghi báo cáo quý IV năm 2025 của Tỉnh Thái Nguyên" in capsys.readouterr().out
    document = Document(io.BytesIO(output.read_bytes()))
    header = document.tables[0].rows[0].cells
    left, right = header[0].text, header[1].text
    assert "TỈNH ỦY THÁI NGUYÊN" in left and "BAN TUYÊN GIÁO VÀ DÂN VẬN" in left
    assert "-BC/BTGDVTU" in left
    assert PARTY in right and "Thái Nguyên, ngày " in right
    texts = _texts(document)
    assert "BÁO CÁO" in texts
    assert "Tình hình nhân dân và kết quả công tác dân vận quý IV năm 2025" in texts
    for _key, heading in SECTIONS:
        assert heading in texts
    assert texts.count(PLACEHOLDER) == len(SECTIONS)
    expected = _straight(records["province"].path)
    assert _row(document, "Tổng cộng")[1:3] == [str(expected["activities"]), "18"]
    assert _row(document, "Ý kiến, kiến nghị tiếp nhận trong kỳ")[1] == str(expected["received"])
    assert _row(document, "Quá hạn chưa trả lời (cuối kỳ)")[1] == str(expected["overdue"])
    assert _row(document, "Lượt thành viên tham gia mới trong kỳ")[1] == str(expected["joined"])
    assert any("Nơi nhận:" in t for t in texts) and any("TRƯỞNG BAN" in t for t in texts)


def test_a_commune_report_names_its_committee(records, tmp_path):
    output = tmp_path / "xa.docx"
    call_command(
        "periodic_report", "--area", "01843", "--period", "2025-11", "--output", str(output)
    )
    left = Document(str(output)).tables[0].rows[0].cells[0].text
    assert "ĐẢNG BỘ TỈNH THÁI NGUYÊN" in left and "ĐẢNG ỦY PHƯỜNG BẮC KẠN" in left
    assert "-BC/ĐU" in left


@pytest.mark.parametrize(
    ("area", "period", "message"),
    [
        ("99", "2025-Q4", "Không có tỉnh (2 chữ số) hoặc xã (5 chữ số) mã “99”"),
        ("19", "2025-13", "Kỳ báo cáo “2025-13” không hợp lệ"),
    ],
)
def test_an_unknown_area_or_period_exits_1(records, tmp_path, capsys, area, period, message):
    output = tmp_path / "khong.docx"
    with pytest.raises(SystemExit) as caught:
        call_command("periodic_report", "--area", area, "--period", period, "--output", str(output))
    assert caught.value.code == 1
    assert message in capsys.readouterr().err
    assert not output.exists()
