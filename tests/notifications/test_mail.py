"""E-mail through a real SMTP server run in-process (aiosmtpd): a return at once, the
rest in one digest per account and day, nothing when e-mail is off or not configured."""

import datetime

import pytest
from django.core.management import call_command

from notifications.choices import Kind
from notifications.mail import send_digests
from notifications.models import Notification
from notifications.services import email_preference_set, notify
from tests.notifications.test_services import _to_decision

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 20)


def text_of(message) -> str:
    """The message's text as written (the wire's line ends back to newlines)."""
    return message.get_content().replace("\r\n", "\n")


def test_a_return_is_mailed_at_once_in_vietnamese(
    smtp, bloc, bloc_criteria, officer, province_staff, django_capture_on_commit_callbacks
):
    from evaluations.services.steps import rating_return

    rating = _to_decision(bloc, officer)
    with django_capture_on_commit_callbacks(execute=True):
        rating_return(acting_user=province_staff, rating=rating, comment="Bổ sung biên bản họp")
    (message,) = smtp.messages
    assert message["To"] == "an.nguyen@example.vn"
    assert message["From"] == "danvan@example.vn"
    # Python folds a long encoded header after "Subject:"; readers drop the blank.
    assert message["Subject"].strip() == "[Cổng thông tin Dân vận cơ sở] Đánh giá bị trả lại"
    body = text_of(message)
    assert body.startswith("Kính gửi Nguyễn Văn An,")  # the name in written order
    assert "được trả lại bước “Đảng ủy xã đề xuất”: Bổ sung biên bản họp" in body
    assert f"https://danvan.example.vn/can-bo/danh-gia/{rating.pk}/de-xuat/" in body
    assert Notification.objects.get().emailed_at is not None
    # Already mailed: the day's digest does not send it again.
    assert send_digests(day=DAY) == 0
    assert len(smtp.messages) == 1


def test_one_digest_per_account_and_day(smtp, officer, province_staff):
    notify([officer], Kind.OPINION_OVERDUE, "Ý kiến A quá hạn", "/can-bo/y-kien/1/")
    notify([officer], Kind.RATING_DECIDED, "Đánh giá B đã quyết định", "/can-bo/danh-gia/2/")
    notify([province_staff], Kind.RATING_DUE, "Bước C đến hạn", "")
    call_command("send_notifications", "--day", DAY.isoformat())
    by_to = {m["To"]: m for m in smtp.messages}
    assert set(by_to) == {"an.nguyen@example.vn", "binh.tran@example.vn"}
    digest = by_to["an.nguyen@example.vn"]
    assert (
        digest["Subject"].strip()
        == "[Cổng thông tin Dân vận cơ sở] 2 thông báo mới ngày 20/03/2026"
    )
    body = text_of(digest)
    assert body.startswith("Kính gửi Nguyễn Văn An,")
    assert "- Ý kiến A quá hạn\n  https://danvan.example.vn/can-bo/y-kien/1/" in body
    assert "- Đánh giá B đã quyết định" in body
    assert text_of(by_to["binh.tran@example.vn"]).startswith("Kính gửi Trần Thị Bình,")
    # Something new the same day waits for tomorrow's digest.
    notify([officer], Kind.OPINION_OVERDUE, "Ý kiến D quá hạn", "")
    assert send_digests(day=DAY) == 0
    assert send_digests(day=DAY + datetime.timedelta(days=1)) == 1
    assert "Ý kiến D quá hạn" in text_of(smtp.messages[-1])
    assert "Ý kiến A" not in text_of(smtp.messages[-1])


def test_read_notifications_and_turned_off_accounts_get_no_mail(smtp, officer, province_staff):
    (read,) = notify([officer], Kind.RATING_DUE, "Đã đọc rồi", "")
    read.read_at = read.created_at
    read.save()
    email_preference_set(user=province_staff, email_enabled=False)
    notify([province_staff], Kind.RATING_DUE, "Không muốn thư", "")
    (immediate,) = notify([province_staff], Kind.RATING_RETURNED, "Trả lại", "", immediate=True)
    assert send_digests(day=DAY) == 0
    assert smtp.messages == []
    immediate.refresh_from_db()
    assert immediate.emailed_at is None


def test_nothing_is_sent_when_email_is_not_configured(
    smtp, settings, officer, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify([officer], Kind.RATING_RETURNED, "Trả lại", "", immediate=True)
    notify([officer], Kind.RATING_DUE, "Đến hạn", "")
    assert send_digests(day=DAY) == 0
    assert smtp.messages == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
