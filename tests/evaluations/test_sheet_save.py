"""The unit's self-assessment page saved as one service: evidence removed and added, then
the scores, all or nothing; a file stored for a step that is refused is removed again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.choices import ScoreStage, Stage
from evaluations.models import CriterionItem, EvaluationScore, EvidenceFile
from evaluations.services.evidence import evaluation_sheet_save, evidence_add
from evaluations.services.ratings import evaluation_start
from evaluations.services.scores import ERROR_MISSING_GATES, ERROR_MISSING_ITEMS
from tests.evaluations.conftest import FULL

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def evaluation(bloc, bloc_criteria, officer):
    return evaluation_start(acting_user=officer, unit=bloc, year=2026)


def _photo(name="bien-ban.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def _items(evaluation):
    items = CriterionItem.objects.filter(group__criteria_set_id=evaluation.criteria_set_id)
    return {item.code: item for item in items}


def test_evidence_and_scores_are_saved_together(
    evaluation, officer, django_capture_on_commit_callbacks
):
    """A draft: the file ticked for removal goes, the new one is stored, the scores are
    kept; a submit then hands the rating to the commune."""
    items = _items(evaluation)
    old = evidence_add(acting_user=officer, evaluation=evaluation, item=items["1.1"], file=_photo())
    old_name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_sheet_save(
            acting_user=officer,
            evaluation=evaluation,
            scores={"1.1": "7,5"},
            gates={},
            uploads=[(items["1.2"], _photo("hop.png"))],
            removed=[old.pk],
        )
    files = list(EvidenceFile.objects.filter(evaluation=evaluation))
    assert [f.item.code for f in files] == ["1.2"]
    assert files[0].file.storage.exists(files[0].file.name)
    assert not old.file.storage.exists(old_name)
    assert {s.item.code for s in EvaluationScore.objects.filter(evaluation=evaluation)} == {"1.1"}
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.SELF

    evaluation_sheet_save(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.PROPOSAL


def test_a_refused_submit_keeps_everything_as_it_was(evaluation, officer):
    """A submit with items missing: the removal is undone, the new file is not kept in
    the database nor in storage, no score is written."""
    items = _items(evaluation)
    old = evidence_add(acting_user=officer, evaluation=evaluation, item=items["1.1"], file=_photo())
    storage = old.file.storage
    stored_before = set(storage.listdir(f"evidence/2026/{evaluation.pk}")[1])
    with pytest.raises(ValidationError) as refused:
        evaluation_sheet_save(
            acting_user=officer,
            evaluation=evaluation,
            scores={"1.1": "5"},
            gates={},
            submit=True,
            uploads=[(items["1.2"], _photo("hop.png"))],
            removed=[old.pk],
        )
    assert refused.value.messages == [
        ERROR_MISSING_ITEMS.format(codes="1.2, 2.1, 2.2"),
        ERROR_MISSING_GATES.format(codes="K1"),
    ]
    assert list(EvidenceFile.objects.filter(evaluation=evaluation)) == [old]
    assert set(storage.listdir(f"evidence/2026/{evaluation.pk}")[1]) == stored_before
    assert storage.exists(old.file.name)
    assert not EvaluationScore.objects.filter(evaluation=evaluation, stage=ScoreStage.SELF)


def test_someone_outside_the_area_saves_nothing(evaluation, sibling_officer):
    """The area is checked before any file is stored."""
    items = _items(evaluation)
    with pytest.raises(PermissionDenied):
        evaluation_sheet_save(
            acting_user=sibling_officer,
            evaluation=evaluation,
            scores={"1.1": "5"},
            gates={},
            uploads=[(items["1.1"], _photo())],
        )
    assert not EvidenceFile.objects.exists()
