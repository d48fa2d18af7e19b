"""Roster workbook import (docs/ROSTER_IMPORT.md): one engine for every door.

The staff page, the admin and ``manage.py import_roster`` all call ``roster_plan`` /
``roster_import`` / ``error_report_workbook``, so a file gives the same result whichever
way it comes in. Read the package top to bottom:

- ``contract``: the workbook's columns, the words of its cells, the layout the shared
  reader (portal/spreadsheets.py) reads it with, and the ``ImportPlan`` callers get;
- ``rows``: each row parsed on its own, cell by cell;
- ``stored``, ``places``, ``plan``: the rows matched against the database (what is
  stored, then villages and units, then members, people and seats);
- ``write``: the bulk writer and the progress of the upload page;
- here: ``roster_plan``, ``roster_import`` and the error report, the entry points.

How it stays fast (18,000 rows in <= 15 s, <= 400 MB; docs/PERFORMANCE.md): the file is
read once with python-calamine; every lookup the rows need (communes of the edition by
code, villages, units, memberships and people of the communes and provinces in the file)
is loaded in a fixed number of queries before the rows are checked; rows are matched in
memory; the writes are bulk inserts and updates in one transaction. No query runs per
row, so the number of queries does not grow with the file (a test asserts it).

Every name other modules use is importable from ``members.imports`` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.imports.contract import (
    COL_BIRTH_YEAR,
    COL_CODE,
    COL_COMMUNE,
    COL_END,
    COL_ERRORS,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_UNIT,
    COL_VILLAGE,
    COLUMNS,
    EDITION_WORDS,
    ERROR_NO_HEADER,
    GENDER_WORDS,
    KIND_WORDS,
    NOTE_SHEET_CHOSEN,
    REQUIRED_COLUMNS,
    ROSTER_LAYOUT,
    ImportPlan,
    PlannedRow,
)
from members.imports.places import NOTE_VILLAGE_SIMILAR, NOTE_VILLAGE_SIMILAR_IN_FILE
from members.imports.plan import (
    ERROR_DUPLICATE_MEMBER,
    ERROR_PERSON_CONFLICT,
    ERROR_UNIT_DISSOLVED,
    build_plan,
)
from members.imports.rows import (
    ERROR_CODE_FORMAT,
    ERROR_REQUIRED,
    ERROR_TOO_LONG,
    ERROR_VILLAGE_FOR_BLOC,
    ERROR_VILLAGE_REQUIRED,
    commune_code,
    commune_name_matches,
)
from members.imports.stored import (
    ERROR_CODE_OTHER_EDITION,
    ERROR_CODE_UNKNOWN,
    ERROR_COMMUNE_NAME,
    ERROR_OUT_OF_SCOPE,
)
from members.imports.write import Progress
from members.models import Membership
from members.validation import (
    ERROR_BIRTH_YEAR,
    ERROR_DATE,
    ERROR_ETHNICITY,
    ERROR_GENDER,
    ERROR_PARTY,
    ERROR_PHONE,
    ERROR_ROLE,
    ERROR_UNIT_KIND,
)
from portal import audit, error_report

# The shared reader's names, which callers have always imported from here.
from portal.cells import FORMULA_STARTS
from portal.copy import collector_paused
from portal.spreadsheets import (
    ERROR_CORRUPT,
    ERROR_CSV_ENCODING,
    ERROR_DUPLICATE_COLUMN,
    ERROR_ENCRYPTED,
    ERROR_ENCRYPTED_OR_XLS,
    ERROR_FILE_EMPTY,
    ERROR_FILE_TOO_LARGE,
    ERROR_MISSING_COLUMN,
    ERROR_NO_ROWS,
    ERROR_NOT_SPREADSHEET,
    ERROR_TOO_MANY_ROWS,
    RowError,
    SheetLayout,
    Table,
    error_kinds,
    header_key,
    megabytes,
    read_table,
)
from units.models import Area
from units.signals import data_changed

logger = logging.getLogger(__name__)

# The two tunables are read when an import runs (tests lower them on this module).
#: Progress is reported every this many rows.
PROGRESS_EVERY = 500
#: Rows per INSERT / UPDATE statement: well under SQLite's variable limit and large enough
#: that an 18,000-row import is a few dozen statements.
BATCH_SIZE = 1000

ERROR_CONFLICT = _(
    "Dữ liệu vừa bị người khác thay đổi trong lúc nhập nên chưa ghi gì. Hãy nhập lại tệp."
)

#: The template of every row message, for the counts by kind on the import page.
ROW_ERROR_TEMPLATES = (
    ERROR_REQUIRED, ERROR_CODE_FORMAT, ERROR_VILLAGE_REQUIRED, ERROR_VILLAGE_FOR_BLOC,
    ERROR_TOO_LONG, ERROR_CODE_UNKNOWN, ERROR_CODE_OTHER_EDITION, ERROR_COMMUNE_NAME,
    ERROR_OUT_OF_SCOPE, ERROR_DUPLICATE_MEMBER, ERROR_PERSON_CONFLICT, ERROR_UNIT_DISSOLVED,
    ERROR_PHONE, ERROR_BIRTH_YEAR, ERROR_DATE, ERROR_GENDER, ERROR_ETHNICITY, ERROR_PARTY,
    ERROR_ROLE, ERROR_UNIT_KIND,
)  # fmt: skip


def row_error_kinds(messages) -> list[tuple[str, int]]:
    """Row messages counted by kind, most frequent first (portal.spreadsheets.error_kinds)."""
    return error_kinds(messages, ROW_ERROR_TEMPLATES)


def roster_plan(
    data: bytes,
    *,
    filename: str,
    edition: str | None = None,
    acting_user=None,
    scope: Callable[[Area], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Parse and check a roster workbook and say what importing it would do; writes
    nothing. Bad input never raises: every problem is a ``RowError`` in the plan.

    ``scope(commune) -> bool`` limits the communes the acting user may import into;
    ``progress(done_rows, total_rows)`` is called every ``PROGRESS_EVERY`` rows.
    """
    with collector_paused():
        plan, _writes = build_plan(
            data,
            filename=filename,
            edition=edition,
            scope=scope,
            progress=progress,
            progress_every=PROGRESS_EVERY,
            acting_user=acting_user,
        )
    Progress(progress, plan.total_rows, every=PROGRESS_EVERY).done()
    return plan


def roster_import(
    data: bytes,
    *,
    filename: str,
    edition: str | None = None,
    acting_user=None,
    scope: Callable[[Area], bool] | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Plan, then, when there is no error and not ``dry_run``, write everything in one
    transaction: a file with any error writes nothing (docs/ROSTER_IMPORT.md).

    Planning runs inside the same transaction as the writes so that the rows are
    matched against the data they are written over. A constraint that fails anyway (a
    concurrent edit) rolls everything back and comes back as a whole-file error.
    """
    plan = None
    try:
        with collector_paused(), transaction.atomic():
            plan, writes = build_plan(
                data,
                filename=filename,
                edition=edition,
                scope=scope,
                progress=progress,
                progress_every=PROGRESS_EVERY,
                acting_user=acting_user,
            )
            tracker = Progress(progress, plan.total_rows, every=PROGRESS_EVERY)
            if plan.has_errors or dry_run:
                tracker.done()
                return plan
            # One batch id ties the history rows of this import together: the task and
            # the command set it (with the uploader and a reason) before calling.
            context = audit.current()
            with audit.audit_context(
                door=audit.Door.IMPORT,
                user=context.user or acting_user,
                batch_id=context.batch_id or audit.new_batch_id(),
            ):
                writes.apply(tracker, batch_size=BATCH_SIZE)
            # Bulk writes send no model signal: the statistics of the provinces written
            # in become stale (reports.signals), in this transaction, and the statistics'
            # log of this batch is folded once it commits: no reader pays.
            data_changed.send(
                sender=Membership, province_paths=writes.provinces(), large_batch=True
            )
            plan.written = True
    except IntegrityError:
        if plan is None:
            raise
        # A constraint the plan could not foresee: someone changed the same rosters
        # between the checks and the writes. Everything is rolled back.
        logger.exception("roster_import rolled back file=%r", filename)
        plan.errors.append(RowError(0, "", ERROR_CONFLICT))
        plan.written = False
        # Nothing was done: no row is "to create" any more (the other import may have
        # created them), so the counts say 0 rather than what this file planned.
        plan.rows = []
        return plan
    tracker.done()
    logger.info(
        "roster_import file=%r edition=%s user=%s %s villages=%d units=%d",
        filename,
        plan.edition,
        getattr(acting_user, "pk", None),
        plan.summary(),
        len(plan.new_villages),
        len(plan.new_units),
    )
    return plan


def error_report_workbook(
    data: bytes, *, filename: str, plan, layout: SheetLayout = ROSTER_LAYOUT
) -> bytes:
    """The uploaded workbook with a first column "Lỗi" holding each row's messages
    (portal.error_report.error_report_workbook), so the officer fixes the rows in the
    file they know and uploads it again; the column is ignored on import.

    ``plan`` is any import result with ``errors``, ``header_row``, ``file_format`` and
    ``sheet_name``: a roster ``ImportPlan`` or a score sheet's ``SheetResult``;
    ``layout`` says how its CSV was read."""
    return error_report.error_report_workbook(
        data,
        filename=filename,
        plan=plan,
        layout=layout,
        error_column=COL_ERRORS,
        # The title in the reader's language; a "Lỗi" column is reused in any language.
        error_title=gettext("Lỗi"),
    )


__all__ = [
    "BATCH_SIZE", "COLUMNS", "COL_BIRTH_YEAR", "COL_CODE", "COL_COMMUNE", "COL_END",
    "COL_ERRORS", "COL_ETHNICITY", "COL_GENDER", "COL_NAME", "COL_PARTY", "COL_PHONE",
    "COL_POSITION", "COL_ROLE", "COL_START", "COL_UNIT", "COL_VILLAGE", "EDITION_WORDS",
    "ERROR_CODE_FORMAT", "ERROR_CODE_OTHER_EDITION", "ERROR_CODE_UNKNOWN",
    "ERROR_COMMUNE_NAME", "ERROR_CONFLICT", "ERROR_CORRUPT", "ERROR_CSV_ENCODING",
    "ERROR_DUPLICATE_COLUMN", "ERROR_DUPLICATE_MEMBER", "ERROR_ENCRYPTED",
    "ERROR_ENCRYPTED_OR_XLS", "ERROR_FILE_EMPTY", "ERROR_FILE_TOO_LARGE",
    "ERROR_MISSING_COLUMN", "ERROR_NOT_SPREADSHEET", "ERROR_NO_HEADER", "ERROR_NO_ROWS",
    "ERROR_OUT_OF_SCOPE", "ERROR_PERSON_CONFLICT", "ERROR_REQUIRED", "ERROR_TOO_LONG",
    "ERROR_TOO_MANY_ROWS", "ERROR_UNIT_DISSOLVED", "ERROR_VILLAGE_FOR_BLOC",
    "ERROR_VILLAGE_REQUIRED", "FORMULA_STARTS", "GENDER_WORDS", "KIND_WORDS",
    "NOTE_SHEET_CHOSEN", "NOTE_VILLAGE_SIMILAR", "NOTE_VILLAGE_SIMILAR_IN_FILE",
    "PROGRESS_EVERY", "REQUIRED_COLUMNS", "ROSTER_LAYOUT", "ROW_ERROR_TEMPLATES",
    "ImportPlan", "PlannedRow", "RowError", "SheetLayout", "Table", "commune_code",
    "commune_name_matches",
    "error_report_workbook", "header_key", "megabytes", "read_table", "roster_import",
    "roster_plan", "row_error_kinds",
]  # fmt: skip
