"""What a score sheet import found, and the rows it planned saved through the rating
services in one transaction, all or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluations.choices import Stage
from evaluations.models import Evaluation
from evaluations.periods import YEAR
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.sheets.reader import RowError
from portal import audit
from units.models import Unit

logger = logging.getLogger(__name__)


@dataclass
class SheetResult:
    """What a score sheet import read, wrote and found wrong. Shaped like a roster
    ``ImportPlan`` where the error report needs it (``errors``, ``header_row``,
    ``file_format``, ``sheet_name``)."""

    filename: str
    rows: int = 0
    changed: int = 0
    submitted: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header_row: int = 0
    file_format: str = ""
    sheet_name: str = ""
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class PlannedRow:
    """One valid row that changes a rating."""

    row: int
    unit: Unit
    evaluation: Evaluation | None
    stage: str
    scores: dict
    gates: dict
    submit: bool
    reasons: dict = field(default_factory=dict)


def planned_rows_save(
    result: SheetResult, planned: list[PlannedRow], *, user, year: int, period: str = YEAR
) -> None:
    """Save every planned row through the services in one transaction; a refusal the
    checks did not foresee (a concurrent change) rolls everything back and becomes
    that row's error."""
    context = audit.current()
    try:
        with (
            transaction.atomic(),
            audit.audit_context(
                door=audit.Door.IMPORT,
                user=context.user or user,
                batch_id=context.batch_id or audit.new_batch_id(),
            ),
        ):
            for plan in planned:
                try:
                    evaluation = plan.evaluation or evaluation_start(
                        acting_user=user, unit=plan.unit, year=year, period=period
                    )
                    extra = {"reasons": plan.reasons} if plan.stage == Stage.SELF else {}
                    write = (
                        evaluation_self_assess if plan.stage == Stage.SELF else evaluation_propose
                    )
                    write(
                        acting_user=user,
                        evaluation=evaluation,
                        scores=plan.scores,
                        gates=plan.gates,
                        submit=plan.submit,
                        **extra,
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages = getattr(exc, "messages", None) or [str(exc)]
                    result.errors.extend(RowError(plan.row, "", m) for m in messages)
                    raise _RollBack from None
    except _RollBack:
        logger.info("score sheet import rolled back file=%r", result.filename)
        return
    result.changed = len(planned)
    result.submitted = sum(1 for p in planned if p.submit)
    result.written = True
    logger.info(
        "score_sheet_import file=%r user=%s changed=%d submitted=%d",
        result.filename,
        getattr(user, "pk", None),
        result.changed,
        result.submitted,
    )


class _RollBack(Exception):
    """Raised inside the import's transaction to undo every write."""
