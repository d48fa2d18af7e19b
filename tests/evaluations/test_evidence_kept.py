"""Evidence is never dropped silently (issue 17, item 5): when the score sheet comes back
with an error, the chosen file is stored with the draft and the page says so; a file
that cannot be stored is named beside its field, to be chosen again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.choices import StepAction
from evaluations.models import EvaluationScore, EvaluationStep, EvidenceFile
from evaluations.scoring import ERROR_SCORE_RANGE
from evaluations.services.ratings import evaluation_start
from tests.evaluations.test_views import sheet_data, sheet_url

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_score_out_of_range_keeps_the_chosen_evidence(client, bloc, bloc_criteria, officer):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    item = evaluation.criteria_set.groups.get(code="1").items.get(code="1.1")
    client.force_login(officer)
    photo = SimpleUploadedFile("bien-ban-hop.png", PNG, "image/png")
    response = client.post(
        sheet_url(bloc),
        sheet_data(evaluation, {"1.1": "12"}, save="1", **{f"evidence_{item.pk}": photo}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert str(ERROR_SCORE_RANGE).format(code="1.1", max="10") in page
    assert "Đã lưu tệp minh chứng bien-ban-hop.png cùng bản nháp" in page
    stored = EvidenceFile.objects.get(evaluation=evaluation)
    assert stored.item == item
    assert f"/minh-chung/{stored.pk}/" in page  # listed under its item on the page
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    step = EvaluationStep.objects.filter(evaluation=evaluation).first()
    assert step.action == StepAction.EVIDENCE
    assert step.changes == {"added": [["1.1", "bien-ban-hop.png"]]}


def test_a_file_that_cannot_be_kept_is_named_beside_its_field(
    client, bloc, bloc_criteria, officer, monkeypatch
):
    """Storage refused (here: the rating moved on meanwhile): the error names the file."""
    from django.core.exceptions import ValidationError

    from evaluations.views import unit_ratings

    def refuse(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(unit_ratings, "evidence_add", refuse)
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    item = evaluation.criteria_set.groups.get(code="1").items.get(code="1.1")
    client.force_login(officer)
    photo = SimpleUploadedFile("anh.png", PNG, "image/png")
    response = client.post(
        sheet_url(bloc),
        sheet_data(evaluation, {"1.1": "12"}, save="1", **{f"evidence_{item.pk}": photo}),
    )
    assert "Tệp anh.png chưa được lưu: hãy chọn lại tệp sau khi sửa lỗi." in response.text
    assert not EvidenceFile.objects.exists()
