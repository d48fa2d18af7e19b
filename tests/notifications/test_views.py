"""The notifications page: one's own only, unread first, opened = read, the header's
count in one query."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from notifications.choices import Kind
from notifications.context_processors import unread
from notifications.models import EmailPreference, Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db
LIST = "/can-bo/thong-bao/"


def test_the_list_shows_ones_own_unread_first(client, officer, province_staff):
    notify([officer], Kind.RATING_DUE, "Cũ chưa đọc", "/a/")
    (seen,) = notify([officer], Kind.RATING_DUE, "Đã đọc", "/b/")
    Notification.objects.filter(pk=seen.pk).update(read_at=seen.created_at)
    notify([officer], Kind.RATING_DUE, "Mới chưa đọc", "/c/")
    notify([province_staff], Kind.RATING_DUE, "Của người khác", "/d/")
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [n.text for n in response.context["notifications"]] == [
        "Mới chưa đọc",
        "Cũ chưa đọc",
        "Đã đọc",
    ]
    assert "Của người khác" not in response.content.decode()
    assert response.context["NOTIFICATIONS_UNREAD"] == 2


def test_opening_marks_read_and_follows_the_link(client, officer, province_staff):
    (mine,) = notify([officer], Kind.RATING_RETURNED, "Trả lại", "/can-bo/danh-gia/")
    (theirs,) = notify([province_staff], Kind.RATING_RETURNED, "Trả lại", "/x/")
    client.force_login(officer)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/can-bo/danh-gia/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Another account's notification: 404, as if it did not exist, and left unread.
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_to_another_site_is_not_followed(client, officer):
    (n,) = notify([officer], Kind.RATING_DUE, "Lạ", "https://evil.example/")
    client.force_login(officer)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == LIST


def test_mark_all_read(client, officer, province_staff):
    notify([officer, province_staff], Kind.RATING_DUE, "Một", "")
    notify([officer], Kind.RATING_DUE, "Hai", "")
    client.force_login(officer)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=province_staff).read_at is None
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_turning_email_off_and_on(client, officer):
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert "Cổng chưa được cấu hình gửi thư điện tử" in page
    client.post(reverse("notifications:email_preference"), {})
    assert EmailPreference.objects.get(user=officer).email_enabled is False
    assert 'name="email_enabled"' in client.get(LIST).content.decode()
    assert client.get(LIST).context["form"].initial == {"email_enabled": False}
    client.post(reverse("notifications:email_preference"), {"email_enabled": "on"})
    assert EmailPreference.objects.get(user=officer).email_enabled is True


def test_the_header_shows_the_count_on_staff_pages(client, officer):
    notify([officer], Kind.RATING_DUE, "Một", "")
    notify([officer], Kind.RATING_DUE, "Hai", "")
    client.force_login(officer)
    page = client.get("/can-bo/").content.decode()
    assert 'data-testid="unread-count">2<span class="visually-hidden"> chưa đọc</span>' in page


def test_the_count_costs_one_query_per_request(officer, django_assert_num_queries):
    notify([officer], Kind.RATING_DUE, "Một", "")
    request = RequestFactory().get("/")
    request.user = officer
    template = Template("{{ a }} {% if a %}{{ a }}{% endif %} {{ b }}")
    with django_assert_num_queries(1):
        first = unread(request)["NOTIFICATIONS_UNREAD"]
        again = unread(request)["NOTIFICATIONS_UNREAD"]
        assert template.render(Context({"a": first, "b": again})) == "1 1 1"


def test_the_public_costs_nothing(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {"NOTIFICATIONS_UNREAD": 0}


def test_anonymous_is_asked_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
