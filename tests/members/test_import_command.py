"""``manage.py import_roster`` (CONTRACTS section 2): the same engine as the web doors,
errors as "Dòng N, cột X: ...", the counts as the last line, exit status 1 on errors."""

import io

import pytest
from django.core.management import call_command

from members.imports import (
    ERROR_FILE_TOO_LARGE,
    ERROR_MISSING_COLUMN,
    ERROR_NOT_SPREADSHEET,
    roster_import,
)
from members.imports import plan as plan_module
from members.management.commands.import_roster import (
    ERROR_OPEN,
    MESSAGE_DRY_RUN,
    MESSAGE_NOT_WRITTEN,
)
from members.models import Membership
from members.validation import ERROR_PHONE
from tests.members.conftest import SAMPLES, TEAM_ROW, team_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[list[str], int]:
    """The command's stdout lines and its exit status."""
    out = io.StringIO()
    try:
        call_command("import_roster", *args, stdout=out, stderr=io.StringIO())
        status = 0
    except SystemExit as exc:
        status = exc.code
    return out.getvalue().splitlines(), status


def test_import_prints_the_counts_as_last_line_and_exits_0(thai_nguyen, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(4, villages=2)))
    lines, status = run(str(path))
    assert status == 0
    assert lines[-1] == "created=4 updated=0 unchanged=0 errors=0"
    assert "Thôn mới: Tổ 1 (Phường Bắc Kạn)" in lines
    assert "Đơn vị mới: Tổ dân vận Tổ 2 — Phường Bắc Kạn" in lines
    assert Membership.objects.count() == 4

    lines, status = run(str(path))
    assert (lines, status) == (["created=0 updated=0 unchanged=4 errors=0"], 0)


def test_errors_are_printed_by_row_and_column_and_exit_1(thai_nguyen, tmp_path):
    rows = team_rows(3)
    rows[1] = {**rows[1], "Số điện thoại": "12345"}
    path = tmp_path / "loi.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    lines, status = run(str(path))
    assert status == 1
    assert lines == [
        "Dòng 3, cột Số điện thoại: " + ERROR_PHONE.format(value="12345"),
        MESSAGE_NOT_WRITTEN,
        "created=2 updated=0 unchanged=0 errors=1",
    ]
    assert not Membership.objects.exists()


def test_whole_file_errors_count_as_one_row(thai_nguyen, tmp_path):
    path = tmp_path / "thieu-cot.xlsx"
    path.write_bytes(xlsx_bytes([TEAM_ROW], headers=["Họ và tên", "Đơn vị"]))
    lines, status = run(str(path))
    assert status == 1
    assert lines[0] == "Tệp, cột Mã xã: " + ERROR_MISSING_COLUMN.format(column="Mã xã")
    assert lines[-1] == "created=0 updated=0 unchanged=0 errors=1"

    path = tmp_path / "anh.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    lines, status = run(str(path))
    assert status == 1
    assert lines[0] == "Tệp: " + ERROR_NOT_SPREADSHEET.format(filename="anh.png")


def test_a_missing_file_is_an_error_not_a_traceback(db, tmp_path):
    path = tmp_path / "khong-co.xlsx"
    lines, status = run(str(path))
    assert status == 1
    assert lines[0] == "Tệp: " + ERROR_OPEN.format(path=path, reason="No such file or directory")
    assert lines[-1] == "created=0 updated=0 unchanged=0 errors=1"


def test_dry_run_writes_nothing(thai_nguyen, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(2)))
    lines, status = run(str(path), "--dry-run")
    assert status == 0
    assert MESSAGE_DRY_RUN in lines
    assert lines[-1] == "created=2 updated=0 unchanged=0 errors=0"
    assert not Membership.objects.exists()


def test_edition_option_reads_codes_in_that_edition(thai_nguyen, lao_cai_legacy):
    """Both editions loaded: 2025 by default, --edition legacy for the legacy sample.
    Read as 2025, the legacy file gets one message naming its list, not 50 row errors."""
    sample = str(SAMPLES / "roster_lao_cai_legacy_quirks.xlsx")
    lines, status = run(sample)
    assert status == 1
    assert lines[-1] == "created=0 updated=0 unchanged=0 errors=1"
    assert any(line.startswith("Tệp: Tệp này dùng danh sách xã trước 01/07/2025") for line in lines)
    lines, status = run(sample, "--edition", "legacy")
    assert status == 0
    assert lines[-1] == "created=50 updated=0 unchanged=0 errors=0"


def test_a_file_over_the_limit_is_not_even_read(db, tmp_path, settings):
    settings.DANVAN_IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "lon.csv"
    path.write_bytes(b"x" * (5 * 1024 * 1024 // 2))
    lines, status = run(str(path))
    assert status == 1
    assert lines[0] == "Tệp: " + ERROR_FILE_TOO_LARGE.format(size="2,5", limit="1")


def test_the_preview_texts_are_built_only_when_read(thai_nguyen, tmp_path, monkeypatch):
    """The command prints counts: it builds none of the rows' read values; a plan's
    row builds its own when first asked for, once (PlannedRow.reading)."""
    calls = []
    real = plan_module.read_values
    monkeypatch.setattr(
        plan_module, "read_values", lambda *a, **k: calls.append(a[0].row) or real(*a, **k)
    )
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(3)))
    lines, status = run(str(path), "--dry-run")
    assert (lines[-1], status, calls) == ("created=3 updated=0 unchanged=0 errors=0", 0, [])

    plan = roster_import(path.read_bytes(), filename="a.xlsx", dry_run=True)
    assert calls == []
    first = plan.rows[0]
    assert first.values["Ngày tham gia"] == "15/01/2024"
    assert first.values["Mã xã"] == "01843 → Phường Bắc Kạn"
    assert calls == [first.row]
