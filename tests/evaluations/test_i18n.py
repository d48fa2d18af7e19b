"""The ratings' messages are translatable (lazy, the Vietnamese text as msgid) and never
reach a workbook cell, the session or JSON as a lazy object: in any language a workbook
is written, an import's errors are plain text, and the Vietnamese text is unchanged."""

import io
import json

import openpyxl
import pytest
from django.utils import translation
from django.utils.functional import Promise

from evaluations import services, sheets
from evaluations.choices import level_label
from evaluations.services import evaluation_start
from members.imports import COL_CODE

pytestmark = pytest.mark.django_db


def test_messages_are_lazy_with_the_vietnamese_text():
    for name in ("ERROR_LOCKED", "ERROR_REASON_REQUIRED", "WARNING_QUOTA", "ERROR_EVIDENCE_TYPE"):
        assert isinstance(getattr(services, name), Promise), name
    for name in ("TITLE_SUBJECT", "INSTRUCTION", "ERROR_UNKNOWN_UNIT", "NOTE_STALE"):
        assert isinstance(getattr(sheets, name), Promise), name
    assert str(services.ERROR_REASON_REQUIRED) == "Phải ghi lý do."
    assert services.ERROR_SCORE_RANGE.format(code="1.1", max="10") == (
        "Điểm tiêu chí 1.1 phải từ 0 đến 10."
    )
    assert str(level_label(2)) == "Mức 2"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_workbook_and_an_import_in_any_language(
    language, area_tree, bloc, bloc_criteria, officer
):
    evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with translation.override(language):
        data = sheets.score_sheet_workbook(
            user=officer, area=area_tree["district"], year=2026, subject="bloc"
        )
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        values = [c.value for row in workbook.active.iter_rows() for c in row if c.value]
        assert all(not isinstance(v, Promise) for v in values)
        assert COL_CODE in values
        csv = f"{COL_CODE},1.1 (tối đa 10)\n99999,10\n".encode()
        result = sheets.score_sheet_import(
            csv, filename="phieu.csv", user=officer, year=2026, subject="bloc"
        )
    assert result.errors
    json.dumps([[e.row, e.column, e.message] for e in result.errors])
