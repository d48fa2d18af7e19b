"""The roster import engine (members.imports): the contract's rules, all or nothing,
idempotency, the sample files, whole-file problems, and a constant number of queries."""

import datetime
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members import imports
from members.imports import (
    ERROR_CODE_FORMAT,
    ERROR_CODE_OTHER_EDITION,
    ERROR_CODE_UNKNOWN,
    ERROR_COMMUNE_NAME,
    ERROR_CORRUPT,
    ERROR_CSV_ENCODING,
    ERROR_DUPLICATE_MEMBER,
    ERROR_ENCRYPTED,
    ERROR_ENCRYPTED_OR_XLS,
    ERROR_FILE_EMPTY,
    ERROR_FILE_TOO_LARGE,
    ERROR_MISSING_COLUMN,
    ERROR_NO_HEADER,
    ERROR_NO_ROWS,
    ERROR_NOT_SPREADSHEET,
    ERROR_OUT_OF_SCOPE,
    ERROR_PERSON_CONFLICT,
    ERROR_REQUIRED,
    ERROR_TOO_MANY_ROWS,
    ERROR_UNIT_DISSOLVED,
    ERROR_VILLAGE_FOR_BLOC,
    ERROR_VILLAGE_REQUIRED,
    NOTE_SHEET_CHOSEN,
    RowError,
    error_report_workbook,
    roster_import,
    roster_plan,
)
from members.models import Membership, Person
from members.services import ERROR_END_BEFORE_START, membership_add, unit_dissolve
from members.validation import (
    ERROR_BIRTH_YEAR,
    ERROR_DATE,
    ERROR_ETHNICITY,
    ERROR_GENDER,
    ERROR_PARTY,
    ERROR_PHONE,
    ERROR_ROLE,
)
from tests.members.conftest import (
    BLOC_ROW,
    SAMPLES,
    TEAM_ROW,
    csv_bytes,
    team_rows,
    xlsx_bytes,
)
from units.models import Area, Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db

SAMPLE_PAIRS = [
    ("roster_thai_nguyen_2025", "2025"),
    ("roster_lao_cai_legacy", "legacy"),
]


def snapshot() -> list[tuple]:
    """Everything an import stores, by natural keys (no ids, no random path tokens)."""
    return sorted(
        (
            m.unit.kind,
            m.unit.commune.code,
            m.unit.area.name,
            m.unit.name,
            m.person.full_name,
            m.person.gender,
            m.person.birth_year,
            m.person.ethnicity,
            m.person.party_member,
            m.person.position,
            m.person.phone,
            m.person.province.code,
            m.role,
            m.start_date,
            m.end_date,
            m.area_path.count("/"),
        )
        for m in Membership.objects.select_related(
            "unit__area", "unit__commune", "person__province"
        )
    )


def import_rows(rows, **kwargs):
    return roster_import(xlsx_bytes(rows), filename="danh-sach.xlsx", **kwargs)


def nothing_written():
    return (
        not Membership.objects.exists()
        and not Person.objects.exists()
        and not Unit.objects.exists()
        and not Area.objects.filter(level="village").exists()
    )


# --- The samples ---------------------------------------------------------------------
@pytest.mark.parametrize(("name", "edition"), SAMPLE_PAIRS)
def test_quirks_file_imports_to_exactly_the_data_of_its_clean_twin(
    name, edition, thai_nguyen, lao_cai_legacy
):
    """Title rows above the header, codes and phones stored as numbers: the quirks file
    stores the very same rows as the clean file, and after the clean one it changes
    nothing."""
    clean = (SAMPLES / f"{name}.xlsx").read_bytes()
    quirks = (SAMPLES / f"{name}_quirks.xlsx").read_bytes()
    stored = {}
    for label, data in (("clean", clean), ("quirks", quirks)):
        with transaction.atomic():
            plan = roster_import(data, filename=f"{label}.xlsx", edition=edition)
            assert plan.errors == []
            assert (plan.created, plan.updated, plan.unchanged) == (50, 0, 0)
            stored[label] = snapshot()
            transaction.set_rollback(True)
    assert stored["clean"] == stored["quirks"]
    assert len(stored["clean"]) == 50

    roster_import(clean, filename="clean.xlsx", edition=edition)
    again = roster_import(quirks, filename="quirks.xlsx", edition=edition)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 50, [])
    assert again.header_row == 3
    assert snapshot() == stored["clean"]


def test_sample_without_edition_uses_the_only_edition_loaded(thai_nguyen):
    """One edition loaded: codes are read in it without being asked."""
    data = (SAMPLES / "roster_thai_nguyen_2025.xlsx").read_bytes()
    plan = roster_import(data, filename="tn.xlsx")
    assert plan.edition == "2025"
    assert plan.created == 50
    assert len(plan.new_villages) == 4
    assert "Thôn Nà Quyết (Phường Bắc Kạn)" in plan.new_villages
    assert "Tổ dân vận Thôn Nà Quyết — Phường Bắc Kạn" in plan.new_units
    assert "Khối dân vận Phường Bắc Kạn" in plan.new_units


# --- Idempotency and updates ---------------------------------------------------------
def test_importing_the_same_file_twice_creates_nothing_the_second_time(thai_nguyen):
    rows = [BLOC_ROW, *team_rows(6, villages=2)]
    first = import_rows(rows)
    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    assert first.written
    second = import_rows(rows)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 7)
    assert second.new_villages == [] and second.new_units == []
    assert Membership.objects.count() == 7
    assert Area.objects.filter(level="village").count() == 2
    assert Unit.objects.count() == 3


def test_a_changed_cell_updates_that_member_and_lists_the_change(thai_nguyen):
    rows = team_rows(3)
    import_rows(rows)
    rows[1] = {**rows[1], "Số điện thoại": "0977000111", "Vai trò": "Tổ phó"}
    plan = import_rows(rows)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 2)
    changed = next(r for r in plan.rows if r.action == "update")
    assert changed.row == 3
    assert changed.changes == {
        "Số điện thoại": ("0900000001", "0977000111"),
        "Vai trò": ("Thành viên", "Tổ phó"),
    }
    person = Person.objects.get(full_name=rows[1]["Họ và tên"])
    assert person.phone == "0977000111"
    assert person.memberships.get().role == "deputy"


def test_an_empty_cell_keeps_what_is_stored(thai_nguyen):
    """A roster without phones does not erase the phones another file recorded."""
    rows = team_rows(2)
    import_rows(rows)
    plan = import_rows([{**r, "Số điện thoại": "", "Giới tính": ""} for r in rows])
    assert plan.unchanged == 2
    assert set(Person.objects.values_list("phone", flat=True)) == {"0900000000", "0900000001"}


def test_ngay_thoi_ends_the_membership_and_keeps_it_as_history(thai_nguyen):
    rows = team_rows(2)
    import_rows(rows)
    rows[0] = {**rows[0], "Ngày thôi": "31/12/2024"}
    plan = import_rows(rows)
    assert plan.updated == 1
    assert plan.rows[0].changes == {"Ngày thôi": ("", "31/12/2024")}
    ended = Membership.objects.get(person__full_name=rows[0]["Họ và tên"])
    assert ended.end_date == datetime.date(2024, 12, 31)
    assert import_rows(rows).unchanged == 2


def test_a_person_known_in_the_province_is_reused_not_duplicated(thai_nguyen):
    """The identity rule (same province, folded name, birth year, phones that agree):
    a bloc member added by hand who also sits in a village team is one person."""
    commune = Area.objects.get(edition="2025", code="01843")
    bloc = unit_create(kind="bloc", area=commune)
    membership_add(
        unit=bloc,
        full_name="Hoàng Văn Thử",
        birth_year=1975,
        phone="0912345678",
        gender="male",
    )
    plan = import_rows([TEAM_ROW])
    assert plan.created == 1
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 2


def test_one_new_person_in_two_units_of_one_file_is_one_person(thai_nguyen):
    bloc_seat = {**TEAM_ROW, "Đơn vị": "Khối", "Thôn/Tổ dân phố": "", "Vai trò": "Phó khối"}
    plan = import_rows([bloc_seat, TEAM_ROW])
    assert plan.created == 2
    assert Person.objects.count() == 1


def test_decomposed_unicode_numbers_and_date_cells_store_the_same_as_text(thai_nguyen):
    """NFD names, codes and phones that lost their zeros, real date cells, a year as a
    full date, "Khối" and "x": the same data as the clean text row."""
    clean = [{**TEAM_ROW}, {**BLOC_ROW}]
    with transaction.atomic():
        import_rows(clean)
        expected = snapshot()
        transaction.set_rollback(True)
    messy = [
        {
            **TEAM_ROW,
            "Mã xã": 1843,
            "Xã": unicodedata.normalize("NFD", "bắc kạn"),
            "Thôn/Tổ dân phố": unicodedata.normalize("NFD", "Tổ  1 "),
            "Họ và tên": unicodedata.normalize("NFD", TEAM_ROW["Họ và tên"]),
            "Năm sinh": datetime.date(1975, 3, 4),
            "Đảng viên": "x",
            "Số điện thoại": 912345678,
            "Ngày tham gia": datetime.date(2024, 1, 15),
        },
        {**BLOC_ROW, "Mã xã": 1843.0, "Đơn vị": "Khối", "Số điện thoại": 987654321},
    ]
    plan = import_rows(messy)
    assert plan.errors == []
    assert snapshot() == expected
    assert Person.objects.get(birth_year=1975).full_name == "Hoàng Văn Thử"


# --- All or nothing ------------------------------------------------------------------
def test_one_bad_row_writes_nothing_and_names_its_row_and_column(thai_nguyen):
    rows = team_rows(5)
    rows[3] = {**rows[3], "Số điện thoại": "12345"}
    plan = import_rows(rows)
    assert plan.errors == [RowError(5, "Số điện thoại", ERROR_PHONE.format(value="12345"))]
    assert not plan.written
    assert plan.error_rows == 1
    assert nothing_written()


def test_every_error_is_listed_by_row_and_column(thai_nguyen):
    rows = [
        {**TEAM_ROW, "Mã xã": "99999"},
        {**TEAM_ROW, "Họ và tên": "A", "Mã xã": "1a"},
        {**TEAM_ROW, "Họ và tên": "B", "Xã": "Phường Đức Xuân"},
        {**TEAM_ROW, "Họ và tên": "C", "Vai trò": "Chủ nhiệm"},
        {**TEAM_ROW, "Họ và tên": "D", "Dân tộc": "Kinhh"},
        {**TEAM_ROW, "Họ và tên": "E", "Ngày tham gia": "31/02/2024"},
        {**TEAM_ROW, "Họ và tên": "F", "Giới tính": "Khác"},
        {**TEAM_ROW, "Họ và tên": "G", "Đảng viên": "Chưa"},
        {**TEAM_ROW, "Họ và tên": "H", "Năm sinh": 1850},
        {**TEAM_ROW, "Họ và tên": "I", "Thôn/Tổ dân phố": ""},
        {**BLOC_ROW, "Họ và tên": "J", "Thôn/Tổ dân phố": "Tổ 2"},
        {**TEAM_ROW, "Họ và tên": "K", "Ngày tham gia": "01/05/2024", "Ngày thôi": "01/04/2024"},
        {**TEAM_ROW, "Họ và tên": "", "Đơn vị": ""},
    ]
    plan = import_rows(rows)
    this_year = timezone.localdate().year
    assert plan.errors == [
        RowError(2, "Mã xã", ERROR_CODE_UNKNOWN.format(code="99999", edition="từ 01/07/2025")),
        RowError(3, "Mã xã", ERROR_CODE_FORMAT.format(value="1a")),
        RowError(
            4,
            "Xã",
            ERROR_COMMUNE_NAME.format(value="Phường Đức Xuân", code="01843", name="Phường Bắc Kạn"),
        ),
        RowError(5, "Vai trò", ERROR_ROLE.format(value="Chủ nhiệm")),
        RowError(6, "Dân tộc", ERROR_ETHNICITY.format(value="Kinhh")),
        RowError(7, "Ngày tham gia", ERROR_DATE.format(value="31/02/2024")),
        RowError(8, "Giới tính", ERROR_GENDER.format(value="Khác")),
        RowError(9, "Đảng viên", ERROR_PARTY.format(value="Chưa")),
        RowError(10, "Năm sinh", ERROR_BIRTH_YEAR.format(value=1850, this_year=this_year)),
        RowError(11, "Thôn/Tổ dân phố", ERROR_VILLAGE_REQUIRED),
        RowError(12, "Thôn/Tổ dân phố", ERROR_VILLAGE_FOR_BLOC),
        RowError(13, "Ngày thôi", ERROR_END_BEFORE_START.format(date="01/05/2024")),
        RowError(14, "Đơn vị", ERROR_REQUIRED.format(what="đơn vị (Khối dân vận hoặc Tổ dân vận)")),
        RowError(14, "Họ và tên", ERROR_REQUIRED.format(what="họ và tên")),
    ]
    assert plan.rows == []
    assert nothing_written()


def test_the_same_member_twice_in_one_file_names_both_rows(thai_nguyen):
    rows = [TEAM_ROW, BLOC_ROW, {**TEAM_ROW, "Họ và tên": "hoàng văn THỬ", "Vai trò": ""}]
    plan = import_rows(rows)
    message = ERROR_DUPLICATE_MEMBER.format(
        name="Hoàng Văn Thử",
        year=1975,
        rows="2, 4",
        unit="Tổ dân vận Tổ 1 — Phường Bắc Kạn",
    )
    assert plan.errors == [RowError(2, "Họ và tên", message), RowError(4, "Họ và tên", message)]
    assert nothing_written()


def test_one_person_written_differently_in_two_rows_is_an_error(thai_nguyen):
    bloc_seat = {**TEAM_ROW, "Đơn vị": "Khối dân vận", "Thôn/Tổ dân phố": "", "Vai trò": ""}
    plan = import_rows([bloc_seat, {**TEAM_ROW, "Dân tộc": "Nùng"}])
    assert plan.errors == [
        RowError(
            3,
            "Dân tộc",
            ERROR_PERSON_CONFLICT.format(
                name="Hoàng Văn Thử",
                year=1975,
                column="dân tộc",
                other="Tày",
                row=2,
                value="Nùng",
            ),
        )
    ]


def test_commune_name_may_differ_in_diacritics_and_prefix(thai_nguyen):
    rows = [
        {**TEAM_ROW, "Xã": "Xã Bac Kan"},
        {**BLOC_ROW, "Xã": "BẮC KẠN"},
    ]
    assert import_rows(rows).errors == []


def test_a_code_of_the_other_edition_says_so(thai_nguyen, lao_cai_legacy):
    """One stray code of the other list in a file of the chosen one: a row error naming
    it (a file that fits the other list better gets one message: test_import_editions)."""
    rows = [TEAM_ROW, {**TEAM_ROW, "Họ và tên": "Khác", "Mã xã": "01840", "Xã": ""}]
    rows.append({**TEAM_ROW, "Họ và tên": "Lạc", "Mã xã": "02635", "Xã": ""})
    plan = import_rows(rows, edition="2025")
    assert plan.errors == [
        RowError(
            4,
            "Mã xã",
            ERROR_CODE_OTHER_EDITION.format(
                code="02635",
                edition="từ 01/07/2025",
                name="Phường Duyên Hải",
                other="trước 01/07/2025",
            ),
        )
    ]


def test_rows_outside_the_users_area_are_refused(thai_nguyen):
    rows = [TEAM_ROW, {**BLOC_ROW, "Mã xã": "01840", "Xã": ""}]
    plan = import_rows(rows, scope=lambda commune: commune.code == "01843")
    assert plan.errors == [
        RowError(3, "Mã xã", ERROR_OUT_OF_SCOPE.format(name="Phường Đức Xuân", code="01840"))
    ]
    assert nothing_written()


def test_a_dissolved_team_takes_no_new_member(thai_nguyen):
    import_rows([TEAM_ROW])
    unit_dissolve(unit=Unit.objects.get(), dissolved_on=timezone.localdate())
    plan = import_rows([{**TEAM_ROW, "Họ và tên": "Người Mới"}])
    assert plan.errors == [
        RowError(2, "", ERROR_UNIT_DISSOLVED.format(unit="Tổ dân vận Tổ 1 — Phường Bắc Kạn"))
    ]


# --- Whole-file problems -------------------------------------------------------------
def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.xlsx", ERROR_FILE_EMPTY),
        (b"%PDF-1.7\x00\x01\x02", "a.pdf", ERROR_NOT_SPREADSHEET.format(filename="a.pdf")),
        (_zip_bytes(), "a.docx", ERROR_NOT_SPREADSHEET.format(filename="a.docx")),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 100
            + "EncryptedPackage".encode("utf-16-le"),
            "a.xlsx",
            ERROR_ENCRYPTED.format(filename="a.xlsx"),
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
            "a.xls",
            ERROR_ENCRYPTED_OR_XLS.format(filename="a.xls"),
        ),
        (
            "Mã xã,Xã,Đơn vị\n".encode("latin-1", "replace"),  # an ANSI code page, not UTF-8
            "a.csv",
            ERROR_CSV_ENCODING,
        ),
        (
            b"<html><body>Ho va ten</body></html>",
            "a.xls",
            ERROR_NOT_SPREADSHEET.format(filename="a.xls"),
        ),
    ],
)
def test_a_file_that_is_not_a_roster_gets_one_clear_message(data, filename, message, thai_nguyen):
    plan = roster_import(data, filename=filename)
    assert plan.errors == [RowError(0, "", message)]
    assert plan.summary() == "created=0 updated=0 unchanged=0 errors=1"


def test_a_truncated_workbook_is_corrupt(thai_nguyen):
    data = xlsx_bytes([TEAM_ROW])
    plan = roster_plan(data[: len(data) // 2], filename="a.xlsx")
    assert plan.errors == [RowError(0, "", ERROR_CORRUPT.format(filename="a.xlsx"))]


def test_a_missing_required_column_is_named(thai_nguyen):
    headers = [h for h in TEAM_ROW if h not in ("Mã xã", "Đơn vị")]
    plan = roster_plan(xlsx_bytes([TEAM_ROW], headers=headers), filename="a.xlsx")
    assert plan.errors == [
        RowError(0, "Mã xã", ERROR_MISSING_COLUMN.format(column="Mã xã")),
        RowError(0, "Đơn vị", ERROR_MISSING_COLUMN.format(column="Đơn vị")),
    ]


def test_without_a_ho_va_ten_header_nothing_is_read(thai_nguyen):
    plan = roster_plan(xlsx_bytes([TEAM_ROW], headers=["Mã xã", "Tên"]), filename="a.xlsx")
    assert plan.errors == [RowError(0, "", ERROR_NO_HEADER)]


def test_a_header_without_rows_is_an_empty_roster(thai_nguyen):
    plan = roster_plan(xlsx_bytes([]), filename="a.xlsx")
    assert plan.errors == [RowError(0, "", ERROR_NO_ROWS)]


def test_a_file_over_the_size_limit_is_refused(thai_nguyen, settings):
    settings.DANVAN_IMPORT_MAX_BYTES = 1024 * 1024
    plan = roster_plan(b"x" * (3 * 1024 * 1024 // 2), filename="a.csv")
    assert plan.errors == [RowError(0, "", ERROR_FILE_TOO_LARGE.format(size="1,5", limit="1"))]


def test_more_rows_than_the_limit_are_refused(thai_nguyen, settings):
    settings.DANVAN_IMPORT_MAX_ROWS = 3
    plan = roster_plan(xlsx_bytes(team_rows(4)), filename="a.xlsx")
    assert plan.errors == [RowError(0, "", ERROR_TOO_MANY_ROWS.format(limit="3"))]


def test_several_sheets_with_data_read_the_first_with_the_header_and_say_so(thai_nguyen):
    data = xlsx_bytes(
        [TEAM_ROW],
        sheet_title="Tổ 1",
        extra_sheets={"Ghi chú": [["Danh sách cập nhật tháng 3"]]},
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.move_sheet("Ghi chú", offset=-1)  # the notes sheet comes first
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = roster_import(buffer.getvalue(), filename="a.xlsx")
    assert plan.errors == []
    assert plan.sheet_name == "Tổ 1"
    assert plan.notes == [
        NOTE_SHEET_CHOSEN.format(count=2, names="“Ghi chú”, “Tổ 1”", sheet="Tổ 1")
    ]
    assert plan.created == 1


def test_headers_match_ignoring_case_diacritics_spacing_and_a_required_mark(thai_nguyen):
    headers = [
        "MA XA (*)", "xã", "Thôn / Tổ dân phố", "Đơn vị(*)", "HỌ VÀ TÊN (*)", "gioi tinh",
        "Năm  sinh", "Dân tộc", "Đảng viên", "Chức vụ", "Vai trò", "Số điện thoại",
        "Ngày tham gia", "Ngày thôi",
    ]  # fmt: skip
    rows = [dict(zip(headers, TEAM_ROW.values(), strict=True))]
    plan = roster_import(
        xlsx_bytes(rows, headers=[*headers, "STT"], title_rows=("DANH SÁCH",)),
        filename="a.xlsx",
    )
    assert plan.errors == []
    assert plan.header_row == 2
    assert Person.objects.get().position == "Bí thư chi bộ"


# --- CSV -----------------------------------------------------------------------------
def test_csv_with_bom_and_excel_semicolons_imports_like_xlsx(thai_nguyen):
    rows = [TEAM_ROW, BLOC_ROW]
    with transaction.atomic():
        import_rows(rows)
        expected = snapshot()
        transaction.set_rollback(True)
    plan = roster_import(csv_bytes(rows, delimiter=";"), filename="a.csv")
    assert plan.errors == []
    assert plan.file_format == "csv"
    assert snapshot() == expected
    again = roster_import(csv_bytes(rows, bom=False), filename="a.csv")
    assert again.unchanged == 2


def test_csv_formula_guard_is_removed_on_import(thai_nguyen):
    plan = roster_import(csv_bytes([{**TEAM_ROW, "Chức vụ": "'=Trưởng thôn"}]), filename="a.csv")
    assert plan.errors == []
    assert Person.objects.get().position == "=Trưởng thôn"


# --- Dry run, progress, queries ------------------------------------------------------
def test_dry_run_and_plan_write_nothing(thai_nguyen):
    rows = team_rows(3)
    assert roster_plan(xlsx_bytes(rows), filename="a.xlsx").created == 3
    plan = import_rows(rows, dry_run=True)
    assert plan.created == 3 and not plan.written
    assert nothing_written()


def test_progress_is_reported_while_checking_and_writing(thai_nguyen, monkeypatch):
    """Checking moves the bar through its first half, writing through the second, and
    the last call is (total, total)."""
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(imports, "BATCH_SIZE", 20)
    calls = []
    import_rows(team_rows(40, villages=4), progress=lambda *args: calls.append(args))
    assert calls == [
        (5, 40), (10, 40), (15, 40), (20, 40),  # checked 10, 20, 30, 40 rows
        (30, 40), (40, 40),  # wrote 20, 40 memberships
        (40, 40),
    ]  # fmt: skip


@pytest.mark.parametrize("second_pass", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_rows(thai_nguyen, second_pass):
    """10 rows or 60 rows over 5 villages, a first import (creating villages, teams,
    people and seats) or a second one (every row matched, every person updated): the
    same number of queries. Each size starts from the same empty rosters."""
    counts = []
    for size in (10, 60):
        rows = team_rows(size, villages=5)
        with transaction.atomic():
            if second_pass:
                import_rows(rows)
                rows = [{**r, "Chức vụ": "Công an viên"} for r in rows]
            with CaptureQueriesContext(connection) as queries:
                plan = import_rows(rows)
            assert plan.errors == []
            assert plan.updated == (size if second_pass else 0)
            counts.append(len(queries))
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


# --- The error report ----------------------------------------------------------------
def test_error_report_adds_a_loi_column_on_the_rows_with_errors(thai_nguyen):
    rows = team_rows(3)
    rows[1] = {**rows[1], "Số điện thoại": "12345", "Vai trò": "Chủ nhiệm"}
    data = xlsx_bytes(rows, title_rows=("DANH SÁCH",))
    plan = roster_plan(data, filename="a.xlsx")
    report = openpyxl.load_workbook(
        io.BytesIO(error_report_workbook(data, filename="a.xlsx", plan=plan))
    )
    sheet = report.active
    # The error column comes first, the bad cells are highlighted, the header filters.
    assert sheet.cell(2, 1).value == "Lỗi"
    assert sheet.auto_filter.ref == "A2:O5"
    assert sheet.cell(4, 12).fill.fgColor.rgb == sheet.cell(4, 13).fill.fgColor.rgb
    assert sheet.cell(4, 12).fill.fgColor.rgb.endswith("FFC7CE")  # Vai trò
    assert sheet.cell(4, 6).fill.fill_type is None  # Họ và tên is fine
    assert sheet.cell(4, 1).value == "\n".join(
        [
            "Vai trò: " + ERROR_ROLE.format(value="Chủ nhiệm"),
            "Số điện thoại: " + ERROR_PHONE.format(value="12345"),
        ]
    )
    assert sheet.cell(3, 1).value is None
    assert sheet.cell(4, 6).value == rows[1]["Họ và tên"]
    # Fixed and uploaded again, the report's extra column is ignored.
    rows[1] = {**rows[1], "Số điện thoại": "0912000111", "Vai trò": "Tổ phó"}
    for index, value in enumerate(rows[1].values(), start=2):
        sheet.cell(4, index, value)
    buffer = io.BytesIO()
    report.save(buffer)
    assert roster_import(buffer.getvalue(), filename="a.xlsx").created == 3


def test_error_report_of_a_csv_or_an_unreadable_file_is_an_xlsx(thai_nguyen):
    data = csv_bytes([{**TEAM_ROW, "Mã xã": "99999"}])
    plan = roster_plan(data, filename="a.csv")
    sheet = openpyxl.load_workbook(
        io.BytesIO(error_report_workbook(data, filename="a.csv", plan=plan))
    ).active
    assert sheet.cell(2, 1).value.startswith("Mã xã: Không có xã, phường mã 99999")
    assert sheet.cell(2, 2).fill.fgColor.rgb.endswith("FFC7CE")

    plan = roster_plan(b"\x00\x01", filename="x.bin")
    sheet = openpyxl.load_workbook(
        io.BytesIO(error_report_workbook(b"\x00\x01", filename="x.bin", plan=plan))
    ).active
    assert [c.value for c in sheet[2]] == [
        None,
        None,
        ERROR_NOT_SPREADSHEET.format(filename="x.bin"),
    ]


def test_import_by_a_commune_officer_never_reuses_a_person_of_another_commune(thai_nguyen):
    """The identity rule inside an import only recognises people the importer may see:
    a namesake seated only in another commune keeps their record untouched."""
    from accounts.access import import_scope
    from accounts.choices import StaffRole
    from members.models import Person
    from members.services import membership_add
    from tests.factories import make_staff
    from units.models import Area
    from units.services import unit_create

    commune = Area.objects.get(edition="2025", code="01843")
    other = Area.objects.filter(edition="2025", level="commune").exclude(pk=commune.pk).first()
    theirs = membership_add(
        unit=unit_create(kind="bloc", area=other),
        full_name="Hoàng Văn Thử",
        birth_year=1975,
        position="Trưởng công an xã",
    ).person
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune])
    plan = imports.roster_import(
        xlsx_bytes([TEAM_ROW]),
        filename="to.xlsx",
        edition="2025",
        acting_user=officer,
        scope=import_scope(officer),
    )
    assert not plan.has_errors and plan.created == 1
    theirs.refresh_from_db()
    assert theirs.position == "Trưởng công an xã"
    assert Person.objects.filter(search_name="hoang van thu").count() == 2


def test_an_import_refreshes_the_cached_statistics(thai_nguyen):
    """A roster import writes in bulk (no model signals): it says so itself, so the cached
    figures of the province and the country are never stale after it."""
    from django.core.cache import cache

    from reports.stats import Place, area_stats, area_stats_cached

    cache.clear()
    today = timezone.localdate()
    places = [Place(edition="2025"), Place(edition="2025", area=thai_nguyen)]
    before = [area_stats_cached(place, today) for place in places]
    assert [b["team_members"] for b in before] == [0, 0]
    import_rows([BLOC_ROW, *team_rows(6, villages=2)])
    after = [area_stats_cached(place, today) for place in places]
    assert after == [area_stats(place, today) for place in places]
    assert [a["team_members"] for a in after] == [6, 6]
    assert [a["blocs"] for a in after] == [1, 1]
