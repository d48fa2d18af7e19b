"""A 2025 province starts from a criteria set of any legacy province merged into it
(docs/REORGANISATION.md, "Criteria"): the service and the staff action."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import CriteriaSet
from evaluations.services.criteria import (
    ERROR_COPY_PROVINCE,
    copy_targets,
    criteria_set_copy,
    criteria_set_create,
)
from tests.evaluations.conftest import GATES, GROUPS
from tests.factories import make_staff
from units.models import Area
from units.services import divisions_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def provinces():
    divisions_load(edition="legacy", provinces=["06", "11"])
    divisions_load(edition="2025", provinces=["19"])
    return {
        "bac_kan": Area.objects.get(edition="legacy", code="06"),
        "dien_bien": Area.objects.get(edition="legacy", code="11"),
        "thai_nguyen": Area.objects.get(edition="2025", code="19"),
    }


def _set(province, year=2024):
    return criteria_set_create(
        acting_user=make_staff(),
        province=province,
        year=year,
        subject="bloc",
        title=f"Tiêu chí khối {province.short_name} {year}",
        groups=GROUPS,
        gates=GATES,
        quota_percent=20,
    )


def _contents(criteria_set):
    groups = [
        (g.code, g.title, [(i.code, i.max_score) for i in g.items.all()])
        for g in criteria_set.groups.all()
    ]
    return (
        groups,
        [(c.code, c.cap_level) for c in criteria_set.gates.all()],
        [(lv.level, lv.min_score) for lv in criteria_set.levels.all()],
        criteria_set.quota_percent,
    )


def test_a_successor_copies_a_predecessor_set(provinces):
    source = _set(provinces["bac_kan"])
    staff = make_staff("province_staff", [provinces["thai_nguyen"]])
    assert copy_targets(source) == [provinces["bac_kan"], provinces["thai_nguyen"]]
    copy = criteria_set_copy(
        acting_user=staff, source=source, year=2026, province=provinces["thai_nguyen"]
    )
    assert (copy.province, copy.year, copy.copied_from) == (provinces["thai_nguyen"], 2026, source)
    assert _contents(copy) == _contents(source)
    assert copy.title == "Tiêu chí khối Bắc Kạn 2026"


def test_no_copy_to_an_unrelated_province(provinces):
    source = _set(provinces["dien_bien"])
    with pytest.raises(ValidationError) as error:
        criteria_set_copy(
            acting_user=make_staff(), source=source, year=2026, province=provinces["thai_nguyen"]
        )
    assert str(ERROR_COPY_PROVINCE) in error.value.messages
    assert not CriteriaSet.objects.filter(province=provinces["thai_nguyen"]).exists()


def test_staff_action_copies_to_the_successor(provinces, client):
    source = _set(provinces["bac_kan"])
    client.force_login(make_staff("province_staff", [provinces["thai_nguyen"]]))
    url = reverse("evaluations:criteria_copy", args=[source.pk])
    page = client.get(url).content.decode()
    assert "Sang tỉnh" in page and provinces["thai_nguyen"].name in page
    response = client.post(url, {"year": 2026, "province": provinces["thai_nguyen"].pk})
    assert response.status_code == 302
    copy = CriteriaSet.objects.get(province=provinces["thai_nguyen"], year=2026)
    assert copy.copied_from == source
