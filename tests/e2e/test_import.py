"""The roster import in a real Chromium on a phone-sized screen, with the production task
backend: upload -> progress -> preview -> confirm -> progress -> result.

Tasks go to the database backend as in production, and the test plays the worker
(``db_worker --batch``) itself. The page's clock is paused while the worker runs, so the
page's polling never meets the worker on the test database; the clock is then moved on
to let the script poll, fill the bar and open the next page.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Membership
from members.models_imports import ImportJob, ImportJobStatus
from tests.factories import make_staff
from tests.members.test_import_views import GOOD_ROWS, roster_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAR_IS_FULL = (
    "() => { const bar = document.querySelector('#import-progress-bar');"
    " return bar.max === 3 && bar.value === 3; }"
)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def poll_until_full_then_follow(page):
    """Let the script poll once, check that the bar reached its maximum, then let it
    open the finished page."""
    page.clock.run_for(1100)
    expect(page.locator("[data-import-progress-text]")).to_have_text("3 / 3 dòng (100%)")
    assert page.evaluate(BAR_IS_FULL)
    with page.expect_navigation():
        page.clock.run_for(600)


def test_upload_preview_confirm_with_the_progress_bar(
    live_server, phone_page, client, settings, area_tree
):
    """A commune officer's phone: the upload waits in the queue with a visible bar, the
    bar fills when the worker has checked the file, the preview shows the counts, the
    confirmed import fills the bar again and the result shows what was written."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = make_staff("commune_officer", [area_tree["commune"]], username="can_bo_xa")
    client.force_login(officer)
    page = phone_page
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.clock.install()
    page.clock.pause_at(datetime.datetime.now() + datetime.timedelta(seconds=5))

    page.goto(live_server.url + reverse("members:import_upload"))
    page.get_by_label("Tệp danh sách thành viên").set_input_files(
        files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": roster_workbook(GOOD_ROWS)}]
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()

    # Queued: the bar is there, the worker has not run yet.
    expect(page.get_by_test_id("import-status")).to_have_text("Đang chờ xử lý")
    expect(page.locator("#import-progress-bar")).to_be_visible()
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.QUEUED

    run_worker()
    poll_until_full_then_follow(page)

    # The preview.
    expect(page.get_by_test_id("import-status")).to_have_text("Đã kiểm tra")
    expect(page.get_by_test_id("count-created")).to_have_text("3")
    expect(page.get_by_test_id("count-errors")).to_have_text("0")
    expect(page.get_by_test_id("import-new-villages")).to_contain_text("Tổ 5")
    expect(page.get_by_test_id("import-rows")).to_contain_text("Hoàng Văn Cường")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Membership.objects.count() == 0

    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Đang chờ xử lý")
    expect(page.get_by_text("Tiến độ ghi vào danh sách")).to_be_visible()

    run_worker()
    poll_until_full_then_follow(page)

    # The result.
    expect(page.get_by_test_id("import-status")).to_have_text("Đã nhập xong")
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_test_id("count-created")).to_have_text("3")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    assert page.evaluate(BAR_IS_FULL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Membership.objects.count() == 3
