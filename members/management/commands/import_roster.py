"""``manage.py import_roster FILE [--dry-run] [--edition 2025|legacy]`` (docs/ROSTER_IMPORT.md).

The command is a thin door onto members.imports, the engine the staff page and the admin
use too. Output: notes, every error as "Dòng N, cột X: message", then as the last line
exactly ``created=N updated=N unchanged=N errors=N`` (rows). Exit status 1 when the file
has errors, in which case nothing was written.

The audit trail records the rows written with door "import" (the door of every roster
import, whichever way the file came in) and one batch id, printed before the counts with
the address of its history page; ``--user`` names the operator's account, ``--reason``
says why.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from members.imports import (
    ERROR_FILE_TOO_LARGE,
    ImportPlan,
    RowError,
    megabytes,
    roster_import,
)
from portal.audit import Door, audit_context, new_batch_id
from units.choices import Edition

ERROR_OPEN = "Không mở được tệp “{path}”: {reason}."
MESSAGE_DRY_RUN = "Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu."
MESSAGE_NOT_WRITTEN = "Tệp có lỗi nên không ghi gì vào cơ sở dữ liệu."
MESSAGE_BATCH = "Lịch sử thay đổi của lượt nhập này: {url}"
ERROR_UNKNOWN_USER = "Không có tài khoản “{username}”."
REASON_COMMAND = "Nhập tệp “{filename}” bằng dòng lệnh"


def format_error(error: RowError) -> str:
    """ "Dòng 12, cột Mã xã: ..."; "Tệp: ..." for a whole-file problem."""
    if error.row <= 0:
        where = f"Tệp, cột {error.column}" if error.column else "Tệp"
    elif error.column:
        where = f"Dòng {error.row}, cột {error.column}"
    else:
        where = f"Dòng {error.row}"
    return f"{where}: {error.message}"


class Command(BaseCommand):
    help = "Nhập danh sách thành viên khối, tổ dân vận từ tệp .xlsx hoặc .csv."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv theo mẫu danh sách thành viên")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument(
            "--edition",
            choices=Edition.values,
            help="danh mục mã xã (mặc định: danh mục duy nhất đã nạp, hoặc 2025)",
        )
        parser.add_argument(
            "--user", help="tên đăng nhập của người chạy lệnh, ghi vào lịch sử thay đổi"
        )
        parser.add_argument("--reason", help="lý do nhập, ghi vào lịch sử thay đổi")

    def handle(self, *args, **options):
        path = Path(options["file"])
        verbosity = options["verbosity"]
        user = self._user(options.get("user"))
        batch_id = new_batch_id()
        plan = None
        data = self._read(path)
        if isinstance(data, str):
            plan = ImportPlan(filename=path.name, edition=options["edition"] or "")
            plan.errors.append(RowError(0, "", data))
        else:
            progress = self._progress if verbosity > 1 else None
            with audit_context(
                door=Door.IMPORT,
                user=user,
                batch_id=batch_id,
                reason=options.get("reason") or REASON_COMMAND.format(filename=path.name),
            ):
                plan = roster_import(
                    data,
                    filename=path.name,
                    edition=options["edition"],
                    acting_user=user,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        self._report(plan, dry_run=options["dry_run"], verbosity=verbosity)
        if plan.written and (plan.created or plan.updated) and verbosity > 0:
            url = reverse("audit:history") + f"?batch={batch_id}"
            self.stdout.write(MESSAGE_BATCH.format(url=url))
        self.stdout.write(plan.summary())
        if plan.has_errors:
            sys.exit(1)

    def _user(self, username: str | None):
        """The operator's account for the audit trail, or None (the trail then shows
        the import without a user; the command line is the server's operator)."""
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(ERROR_UNKNOWN_USER.format(username=username)) from None

    def _read(self, path: Path) -> bytes | str:
        """The file's bytes, or the message saying why it cannot be read. The size is
        checked before reading, so a huge file never lands in memory."""
        limit = settings.DANVAN_IMPORT_MAX_BYTES
        try:
            size = path.stat().st_size
            if size > limit:
                return ERROR_FILE_TOO_LARGE.format(size=megabytes(size), limit=megabytes(limit))
            return path.read_bytes()
        except OSError as exc:
            return ERROR_OPEN.format(path=path, reason=exc.strerror or exc)

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"{done}/{total}")

    def _report(self, plan: ImportPlan, *, dry_run: bool, verbosity: int) -> None:
        for note in plan.notes:
            self.stdout.write(note)
        for error in plan.errors:
            self.stdout.write(format_error(error))
        if plan.has_errors:
            self.stdout.write(MESSAGE_NOT_WRITTEN)
            return
        if dry_run:
            self.stdout.write(MESSAGE_DRY_RUN)
        if verbosity > 0:
            for label in plan.new_villages:
                self.stdout.write(f"Thôn mới: {label}")
            for label in plan.new_units:
                self.stdout.write(f"Đơn vị mới: {label}")
