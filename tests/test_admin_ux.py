"""The admin in Vietnamese, in the portal's colours, with years printed as years."""

import datetime
import json
import re

import pytest
from django.contrib.admin.utils import display_for_field
from django.urls import reverse

from evaluations.models import CriteriaSet
from members.services import membership_add
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ENGLISH = (
    "Access attempts", "Access failures", "Access logs", "TOTP devices", "Task Results",
    "Tasks Database Backend", "Show counts", "Skip to main content", "Toggle theme",
    "Model name", "Add link", ">Axes<",
)  # fmt: skip


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff())
    return client


def visible_text(html: str) -> str:
    return re.sub(r"<script.*?</script>", " ", html, flags=re.S)


def test_the_admin_index_is_in_vietnamese_and_in_the_portals_colours(admin_client):
    html = visible_text(admin_client.get(reverse("admin:index")).content.decode())
    assert [word for word in ENGLISH if word in html] == []
    for name in ("Chặn đăng nhập sai", "Lượt thử đăng nhập", "Thiết bị TOTP", "Tác vụ nền",
                 "Kết quả tác vụ"):  # fmt: skip
        assert name in html, name
    assert "css/admin.css" in html and "img/emblem.svg" in html


@pytest.mark.parametrize(
    "url",
    [
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:django_tasks_database_dbtaskresult_changelist",
        "admin:otp_totp_totpdevice_changelist",
    ],
)
def test_third_party_lists_are_in_vietnamese(admin_client, url):
    html = visible_text(admin_client.get(reverse(url)).content.decode())
    assert [word for word in ENGLISH if word in html] == []
    assert "Attempt Time" not in html and "Logout Time" not in html


def test_years_have_no_thousands_separator(admin_client, team):
    membership_add(unit=team, full_name="Đặng Văn Đức", birth_year=1985,
                   start_date=datetime.date(2024, 3, 5))  # fmt: skip
    for url in ("admin:members_person_changelist", "admin:members_membership_changelist"):
        html = admin_client.get(reverse(url)).content.decode()
        assert "1985" in html and "1.985" not in html, url
    field = CriteriaSet._meta.get_field("year")
    assert display_for_field(2026, field, "-") == "2026"


def test_the_admins_scripts_speak_vietnamese(admin_client):
    """The date picker and the two-box selector read their words from the admin's
    JavaScript catalogue: the strings Django's Vietnamese lacks come from the portal's
    own (locale/vi/LC_MESSAGES/djangojs.po), the rest stay Django's."""
    script = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
    for english, vietnamese in (
        ("Monday", "Thứ hai"),
        ("Choose all %s", "Chọn tất cả %s"),
        ("Remove all %s", "Bỏ tất cả %s"),
        ("Today", "Hôm nay"),  # Django's own
    ):
        assert catalog.get(english) == vietnamese, english
    assert catalog["abbrev. month January\x04Jan"] == "Th1"
