"""Evidence files of a unit's self-assessment (a phone's photo, a scanned document),
and the self-assessment page saved as one step: its files and its scores together."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.choices import Stage, StepAction
from evaluations.models import CriterionItem, Evaluation, EvidenceFile
from evaluations.services.history import evidence_changes, step_record
from evaluations.services.ratings import evaluation_self_assess
from evaluations.services.steps import require_stage, require_step
from portal.text import normalize

ERROR_EVIDENCE_TYPE = _("Tệp minh chứng phải là ảnh (JPG, PNG, WEBP) hoặc PDF.")
ERROR_EVIDENCE_SIZE = _("Tệp minh chứng lớn hơn {limit} MB.")
ERROR_EVIDENCE_ITEM = _("Tiêu chí không thuộc bộ tiêu chí của đánh giá này.")


#: Accepted evidence by extension, each with the bytes such a file starts with: a phone's
#: photo or a scanned document, never a page or a script the portal would serve back.
EVIDENCE_TYPES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "pdf": (b"%PDF-",),
}
EVIDENCE_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def evidence_max_bytes() -> int:
    """The largest evidence file accepted (``DANVAN_EVIDENCE_MAX_BYTES``, 10 MB by default)."""
    return getattr(settings, "DANVAN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def evidence_extension(name: str) -> str:
    """A file name's extension, lower case (empty without one)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_evidence_file(upload) -> None:
    """An image or PDF no larger than the limit, recognised by its name and its first
    bytes (the browser's content type is whatever the phone says)."""
    limit = evidence_max_bytes()
    if upload.size > limit:
        raise ValidationError(ERROR_EVIDENCE_SIZE.format(limit=limit // (1024 * 1024)))
    signatures = EVIDENCE_TYPES.get(evidence_extension(upload.name))
    if not signatures:
        raise ValidationError(ERROR_EVIDENCE_TYPE)
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if not any(head.startswith(s) for s in signatures) or (
        evidence_extension(upload.name) == "webp" and head[8:12] != b"WEBP"
    ):
        raise ValidationError(ERROR_EVIDENCE_TYPE)


@transaction.atomic
def evidence_add(
    *,
    acting_user,
    evaluation: Evaluation,
    item: CriterionItem,
    file,
    description="",
    record: bool = True,
):
    """Attach a file to one item of the unit's self-assessment (while it is a draft).
    ``record``: write the step in the rating's history (the sheet's save records its
    files with its scores instead)."""
    require_step(acting_user, evaluation, Stage.SELF)
    require_stage(evaluation, Stage.SELF)
    if item.group.criteria_set_id != evaluation.criteria_set_id:
        raise ValidationError(ERROR_EVIDENCE_ITEM)
    validate_evidence_file(file)
    evidence = EvidenceFile(
        evaluation=evaluation,
        item=item,
        file=file,
        description=normalize(description)[:250],
        uploaded_by=acting_user,
    )
    evidence.full_clean()
    evidence.save()
    if record:
        step_record(
            rating=evaluation,
            action=StepAction.EVIDENCE,
            acting_user=acting_user,
            changes=evidence_changes(added=[evidence]),
        )
    return evidence


@transaction.atomic
def evidence_remove(*, acting_user, evidence, record: bool = True) -> None:
    """Remove a file from a draft self-assessment; the stored file goes once the
    transaction commits. ``record``: as for ``evidence_add``."""
    evaluation = evidence.evaluation
    require_step(acting_user, evaluation, Stage.SELF)
    require_stage(evaluation, Stage.SELF)
    storage, name = evidence.file.storage, evidence.file.name
    if record:
        step_record(
            rating=evaluation,
            action=StepAction.EVIDENCE,
            acting_user=acting_user,
            changes=evidence_changes(removed=[evidence]),
        )
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def evaluation_sheet_save(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping,
    gates: Mapping,
    submit: bool = False,
    uploads: Iterable[tuple[CriterionItem, object]] = (),
    removed: Iterable[int] = (),
    reasons: Mapping | None = None,
) -> Evaluation:
    """The unit's self-assessment page saved as one step: evidence files removed
    (``removed``: their ids) and added (``uploads``: item, file), then the scores
    (``evaluation_self_assess``), all or nothing. Files stored for a transaction that
    rolled back are removed again; files removed go once it commits."""
    added: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            gone = list(
                EvidenceFile.objects.filter(evaluation=evaluation, pk__in=removed).select_related(
                    "item"
                )
            )
            for evidence in gone:
                evidence_remove(acting_user=acting_user, evidence=evidence, record=False)
            for item, upload in uploads:
                added.append(
                    evidence_add(
                        acting_user=acting_user,
                        evaluation=evaluation,
                        item=item,
                        file=upload,
                        record=False,
                    )
                )
            return evaluation_self_assess(
                acting_user=acting_user,
                evaluation=evaluation,
                scores=scores,
                gates=gates,
                submit=submit,
                evidence=evidence_changes(added=added, removed=gone),
                reasons=reasons,
            )
    except Exception:
        for evidence in added:
            evidence.file.delete(save=False)
        raise
