"""Findings of the hardening review (issue 12) that belong to no single app: each test
failed on the code before the fix (docs/SECURITY.md, "What was probed")."""

import pytest
from django.urls import reverse

from members.models import Person

pytestmark = pytest.mark.django_db

PERSON = {
    "full_name": "Hà Thị Mai",
    "gender": "female",
    "birth_year": "1988",
    "ethnicity": "Tày",
    "phone": "0912345678",
    "position": "Chi hội trưởng",
}


def test_an_admin_save_with_tampered_inline_data_writes_nothing(admin_client, area_tree):
    """The person form is valid (its service writes), the inline's management form is
    missing: the admin shows its error page, and the change and its history row are
    rolled back with it."""
    data = {**PERSON, "province": area_tree["province"].pk}
    assert admin_client.post(reverse("admin:members_person_add"), data).status_code == 302
    person = Person.objects.get()
    history = person.history.count()
    response = admin_client.post(
        reverse("admin:members_person_change", args=[person.pk]),
        {**data, "full_name": "Hà Thị Mới"},
    )
    assert response.status_code == 200  # "Please correct the error below"
    person.refresh_from_db()
    assert person.full_name == "Hà Thị Mai"
    assert person.history.count() == history


def test_a_save_that_changes_nothing_writes_no_history_row(admin_client, area_tree):
    """A form sent back as it was (or any save with the same values) records nothing;
    a real change still does."""
    data = {**PERSON, "province": area_tree["province"].pk}
    admin_client.post(reverse("admin:members_person_add"), data)
    person = Person.objects.get()
    assert person.history.count() == 1
    person.save()
    Person.objects.get().save()
    assert person.history.count() == 1
    person.phone = "0912000111"
    person.save()
    assert person.history.count() == 2
    assert person.history.first().history_type == "~"


@pytest.mark.parametrize("value", ["0001-01-01", "0010-12-31", "", "9999-12-31", "20261121"])
def test_the_api_answers_400_json_to_a_date_out_of_range_or_empty(client, area_tree, value):
    response = client.get("/api/v1/stats/", {"date": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 400


@pytest.mark.parametrize("value", ["0001-01-01", "05/01/0003"])
def test_the_stats_page_shows_a_message_for_a_date_out_of_range(client, area_tree, value):
    from reports.views import MESSAGE_BAD_DATE

    response = client.get("/thong-ke/", {"date": value})
    assert response.status_code == 200
    assert str(MESSAGE_BAD_DATE) in response.content.decode()


def test_the_api_answers_json_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("reports.views.data_versions", down)
    client.raise_request_exception = False
    response = client.get("/api/v1/stats/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 503


def test_nul_bytes_and_control_characters_never_reach_a_view(client, area_tree):
    for url in ("/", "/tin-tuc/", "/thong-ke/"):
        response = client.get(url, {"q": "a\x00b\x1f"})
        assert response.status_code == 200, url
        assert response.wsgi_request.GET["q"] == "ab"
    assert client.get("/tin-tuc/x%00y/").status_code == 400


def test_an_admin_add_page_ignores_a_foreign_key_that_is_no_id(admin_client, area_tree):
    url = reverse("admin:members_membership_add")
    assert (
        admin_client.get(url, {"person": "1e9", "unit": "99999999999999999999"}).status_code == 200
    )


def test_without_email_the_reset_page_says_to_ask_the_administrator(client, settings):
    from django.core import mail

    from accounts.views_password import MESSAGE_NO_EMAIL
    from tests.factories import UserFactory

    settings.EMAIL_HOST = ""
    UserFactory(username="an", email="an@example.vn")
    url = reverse("password_reset")
    page = client.get(url).content.decode()
    assert str(MESSAGE_NO_EMAIL) in page and '<form method="post" class="stack-form"' not in page
    response = client.post(url, {"email": "an@example.vn"})
    assert response.status_code == 200 and str(MESSAGE_NO_EMAIL) in response.content.decode()
    assert mail.outbox == []


def test_with_email_resets_are_limited_per_address_and_per_client(client, settings):
    from django.core import mail

    from accounts.views_password import ERROR_TOO_MANY_RESETS
    from tests.factories import UserFactory

    settings.EMAIL_HOST = "127.0.0.1"
    settings.DANVAN_PASSWORD_RESET_PER_ADDRESS = 3
    settings.DANVAN_PASSWORD_RESET_PER_CLIENT = 5
    UserFactory(username="an", email="an@example.vn")
    url = reverse("password_reset")
    statuses = [client.post(url, {"email": "an@example.vn"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert (
        str(ERROR_TOO_MANY_RESETS) in client.post(url, {"email": "AN@example.vn"}).content.decode()
    )
    # The client has now sent 5: another address from it is refused too.
    assert client.post(url, {"email": "khac@example.vn"}).status_code == 429


def test_a_save_from_an_admin_popup_is_kept(admin_client, area_tree):
    """The pop-up's answer (200, not a redirect) is a save: it is not rolled back."""
    data = {**PERSON, "province": area_tree["province"].pk, "_popup": "1"}
    response = admin_client.post(reverse("admin:members_person_add") + "?_popup=1", data)
    assert response.status_code == 200
    assert Person.objects.filter(full_name="Hà Thị Mai").exists()
