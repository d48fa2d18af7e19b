"""The daily notifications run on a province's worth of accounts and late opinions:
``notify_deadlines`` (who is told, the notifications made) and ``send_digests`` (one
digest per account, Django's in-memory mail backend, so only the portal's side is timed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_i14-notify \\
        .venv/bin/python bench/notifications_daily.py [--communes 100] [--opinions 20]

Builds, inside a transaction rolled back at the end (nothing stays): a province (code
99) with one district, ``--communes`` communes each with its officer (with an e-mail
address) and its bloc, and ``--opinions`` unanswered opinions per bloc, half due in 3
days and half 2 days late; district and provincial staff above them.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts.choices import StaffRole  # noqa: E402
from notifications.deadlines import notify_deadlines  # noqa: E402
from notifications.mail import send_digests  # noqa: E402
from tests.factories import AreaFactory, make_staff  # noqa: E402
from units.choices import Level  # noqa: E402
from units.services import unit_create  # noqa: E402
from work.models import Opinion  # noqa: E402

DAY = datetime.date(2026, 3, 20)


class Rollback(Exception):
    pass


def build(communes: int, per_unit: int) -> None:
    province = AreaFactory(level=Level.PROVINCE, code="99", name="Tỉnh Thử Nghiệm")
    district = AreaFactory(level=Level.DISTRICT, code="999", name="Huyện Thử", parent=province)
    make_staff(StaffRole.PROVINCE_STAFF, [province], username="bench-tinh")
    make_staff(StaffRole.DISTRICT_STAFF, [district], username="bench-huyen")
    rows = []
    for i in range(communes):
        commune = AreaFactory(
            level=Level.COMMUNE, code=f"9{i:04d}", name=f"Xã Thử {i}", parent=district
        )
        make_staff(StaffRole.COMMUNE_OFFICER, [commune], username=f"bench-xa-{i}")
        bloc = unit_create(kind="bloc", area=commune)
        for j in range(per_unit):
            due = DAY + datetime.timedelta(days=3 if j % 2 else -2)
            rows.append(
                Opinion(
                    unit=bloc, area_path=bloc.area_path, received_on=due - datetime.timedelta(15),
                    due_on=due, channel="phone", topic="land", summary=f"[bench] {j}",
                )
            )  # fmt: skip
    Opinion.objects.bulk_create(rows, batch_size=2000)


def timed(label, fn):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"{label}: {result} in {elapsed:.2f} s, {len(queries)} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--opinions", type=int, default=20)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            build(args.communes, args.opinions)
            print(f"built in {time.perf_counter() - start:.1f} s")
            timed("notify_deadlines (notifications made)", lambda: notify_deadlines(day=DAY))
            timed("again the same day (made)", lambda: notify_deadlines(day=DAY))
            with override_settings(
                EMAIL_HOST="bench.invalid",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ):
                timed("send_digests (digests)", lambda: send_digests(day=DAY))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
