"""Fixtures of the "Dân vận khéo" models' tests: the accounts of the daily-work tests
(commune A's officer, the sibling commune's, provincial staff of A's province and of
the other one, a news editor) and helpers that take a model through its cycle."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exemplars import services
from tests.work.conftest import (  # noqa: F401  (fixtures)
    days_ago,
    media,
    news_editor,
    officer,
    other_province_staff,
    photo_bytes,
    province_staff,
    sibling_officer,
    today,
)


def register(area, user=None, *, registered_on=None, photos=(), **extra):
    data = {
        "title": "Dân vận khéo trong xây dựng nông thôn mới",
        "field": "economy",
        "owner_kind": "collective",
        "owner_name": "Tổ dân vận thôn Nà Lẹng",
        "registered_on": registered_on or days_ago(40),
        "description": "Vận động nhân dân hiến đất làm đường",
        "results": "Làm được 2 km đường bê tông",
        **extra,
    }
    return services.exemplar_register(area=area, acting_user=user, photos=photos, **data)


def recognise(exemplar, user=None, *, decision_date=None, level="commune", number="15-QĐ/ĐU"):
    """Started, reviewed and recognised on the days after its registration."""
    day = exemplar.registered_on + datetime.timedelta(days=1)
    services.exemplar_start(exemplar=exemplar, started_on=day, acting_user=user)
    services.exemplar_review(exemplar=exemplar, reviewed_on=day, acting_user=user)
    return services.exemplar_recognise(
        exemplar=exemplar,
        decision_number=number,
        decision_date=decision_date or day,
        decision_level=level,
        acting_user=user,
    )


def upload(name="mo-hinh.jpg", **kwargs):
    return SimpleUploadedFile(name, photo_bytes(**kwargs), "image/jpeg")


@pytest.fixture
def commune(area_tree):
    return area_tree["commune"]
