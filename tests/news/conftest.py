"""Fixtures of the news tests: uploads go to a temporary MEDIA_ROOT, the cache starts
empty, and two actors: a news editor and a commune officer."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from accounts.choices import StaffRole
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def picture_upload(name="anh.png", size=(1600, 900), fmt="PNG", color=(200, 30, 30)):
    """An uploaded picture file, made by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def editor(db):
    return make_staff(
        StaffRole.NEWS_EDITOR, username="bien_tap", first_name="Anh", last_name="Minh"
    )


@pytest.fixture
def officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="can_bo_xa")


@pytest.fixture
def category(editor):
    from news.services import category_create

    return category_create(name="Gương Dân vận khéo", acting_user=editor)


@pytest.fixture
def make_article(editor):
    """Create (and by default publish, a day ago) an article through the services."""
    from news.services import article_create, article_publish

    def make(title="Tin thử", *, publish=True, when=None, **fields):
        fields.setdefault("summary", f"Tóm tắt của {title}")
        fields.setdefault("body", f"<p>Nội dung của {title}</p>")
        article = article_create(acting_user=editor, title=title, **fields)
        if publish:
            when = when or timezone.now() - datetime.timedelta(days=1)
            article = article_publish(article=article, acting_user=editor, now=when)
        return article

    return make
