"""The ratings' messages are translatable (lazy, the Vietnamese text as msgid) and never
reach a workbook cell, the session or JSON as a lazy object: in any language a workbook
is written, an import's errors are plain text, and the Vietnamese text is unchanged."""

import io
import json

import openpyxl
import pytest
from django.utils import translation
from django.utils.functional import Promise

from evaluations import scoring
from evaluations.choices import Stage, level_label
from evaluations.services import evidence, ratings, steps
from evaluations.sheets import download, layout, upload
from members.imports import COL_CODE

pytestmark = pytest.mark.django_db


def test_messages_are_lazy_with_the_vietnamese_text():
    for module, name in (
        (steps, "ERROR_LOCKED"),
        (steps, "ERROR_REASON_REQUIRED"),
        (ratings, "WARNING_QUOTA"),
        (evidence, "ERROR_EVIDENCE_TYPE"),
    ):
        assert isinstance(getattr(module, name), Promise), name
    for module, name in (
        (download, "TITLE_SUBJECT"),
        (download, "INSTRUCTION"),
        (upload, "ERROR_UNKNOWN_UNIT"),
        (upload, "NOTE_STALE"),
    ):
        assert isinstance(getattr(module, name), Promise), name
    assert str(steps.ERROR_REASON_REQUIRED) == "Phải ghi lý do."
    assert scoring.ERROR_SCORE_RANGE.format(code="1.1", max="10") == (
        "Điểm tiêu chí 1.1 phải từ 0 đến 10."
    )
    assert str(level_label(2)) == "Mức 2"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_workbook_and_an_import_in_any_language(
    language, area_tree, bloc, bloc_criteria, officer
):
    ratings.evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with translation.override(language):
        data = download.score_sheet_workbook(
            user=officer, area=area_tree["district"], year=2026, subject="bloc"
        )
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        values = [c.value for row in workbook.active.iter_rows() for c in row if c.value]
        assert all(not isinstance(v, Promise) for v in values)
        assert COL_CODE in values
        csv = f"{COL_CODE},1.1 (tối đa 10)\n99999,10\n".encode()
        result = upload.score_sheet_import(
            csv, filename="phieu.csv", user=officer, year=2026, subject="bloc"
        )
    assert result.errors
    json.dumps([[e.row, e.column, e.message] for e in result.errors])


def test_the_stage_column_is_vietnamese_in_any_language_and_read_in_both(
    area_tree, bloc, bloc_criteria, officer
):
    """ "Bước hiện tại" is read back by the import (a stale sheet is skipped), so it is
    written in Vietnamese whatever the downloader's language; a stage name in English
    (a sheet from an older version) is recognised too."""
    ratings.evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with translation.override("en"):
        data = download.score_sheet_workbook(
            user=officer, area=area_tree["district"], year=2026, subject="bloc"
        )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header_row = next(row for row in sheet.iter_rows(values_only=True) if layout.COL_STAGE in row)
    column = header_row.index(layout.COL_STAGE)
    stages = [
        row[column]
        for row in sheet.iter_rows(values_only=True)
        if row[column] and row[column] != layout.COL_STAGE
    ]
    assert stages == ["Đơn vị tự đánh giá"]
    assert layout.stage_from_label("Đơn vị tự đánh giá") == "self"
    with translation.override("en"):
        english = str(Stage.SELF.label)
    assert english != "Đơn vị tự đánh giá"
    assert layout.stage_from_label(english) == "self"
    assert layout.stage_from_label("không phải một bước") is None
