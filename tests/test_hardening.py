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
