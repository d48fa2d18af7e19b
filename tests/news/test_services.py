"""The news services: slugs, the body sanitized on save, scheduling, the publish job,
permissions, images and their variants, the audit trail."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from news import services
from news.choices import ArticleStatus
from news.models import Article, NewsState
from news.selectors import pages_state, public_article, public_articles
from portal.audit import Door
from tests.news.conftest import picture_upload

pytestmark = pytest.mark.django_db


def test_slug_is_the_title_without_diacritics(editor):
    """ "Tin Bắc Kạn" -> "tin-bac-kan"; đ becomes d; punctuation goes."""
    article = services.article_create(acting_user=editor, title="Tin Bắc Kạn", summary="Tóm tắt")
    assert article.slug == "tin-bac-kan"
    other = services.article_create(
        acting_user=editor, title="Đảng ủy xã Đồng Lạc: “Dân vận khéo”!", summary="Tóm tắt"
    )
    assert other.slug == "dang-uy-xa-dong-lac-dan-van-kheo"


def test_slug_is_unique_with_a_suffix(editor):
    """A second and a third article with the same title get -2 and -3."""
    slugs = [
        services.article_create(acting_user=editor, title="Tin Bắc Kạn", summary="x").slug
        for _ in range(3)
    ]
    assert slugs == ["tin-bac-kan", "tin-bac-kan-2", "tin-bac-kan-3"]


def test_slug_of_an_empty_or_reserved_title_and_a_long_one(editor):
    """A title that folds to nothing gets "tin-bai"; "Chuyên mục" is not a free path; a
    long title is cut at a word, under 81 characters."""
    assert services.article_create(acting_user=editor, title="!!!", summary="x").slug == "tin-bai"
    reserved = services.article_create(acting_user=editor, title="Chuyên mục", summary="x")
    assert reserved.slug == "chuyen-muc-2"
    long_title = "Khối dân vận xã " + "Bằng Thành " * 15
    slug = services.article_create(acting_user=editor, title=long_title, summary="x").slug
    assert len(slug) <= 80 and slug.startswith("khoi-dan-van-xa-bang-thanh-") and slug[-1] != "-"


def test_slug_follows_the_title_until_publication_then_stays(editor, make_article):
    """A draft's link follows its title; once published, editing the title keeps the
    link that is out there."""
    article = make_article("Bản nháp đầu", publish=False)
    article = services.article_update(article=article, acting_user=editor, title="Tiêu đề mới")
    assert article.slug == "tieu-de-moi"
    article = services.article_publish(article=article, acting_user=editor)
    article = services.article_update(article=article, acting_user=editor, title="Đổi lần nữa")
    assert article.slug == "tieu-de-moi"
    assert article.status == ArticleStatus.PUBLISHED


def test_body_is_sanitized_on_save_and_search_column_folded(editor):
    """The stored body has no script; the search column holds the folded title, summary
    and body text."""
    article = services.article_create(
        acting_user=editor,
        title="Mô hình Dân vận khéo",
        summary="Ở Bắc Kạn",
        body='<p onclick="x()">Đường <strong>bê tông</strong></p><script>alert(1)</script>',
    )
    article.refresh_from_db()
    assert article.body == "<p>Đường <strong>bê tông</strong></p>"
    assert article.search_text == "mo hinh dan van kheo o bac kan duong be tong"


def test_title_and_summary_are_required(editor):
    """Exact messages, on their fields."""
    with pytest.raises(ValidationError) as error:
        services.article_create(acting_user=editor, title="  ", summary="")
    assert error.value.message_dict == {
        "title": [str(services.ERROR_TITLE_REQUIRED)],
        "summary": [str(services.ERROR_SUMMARY_REQUIRED)],
    }


def test_scheduled_article_is_invisible_before_and_visible_after_publish_at(editor, make_article):
    """Scheduled for 08:00: hidden at 07:59, public at 08:00 exactly, with no job run."""
    article = make_article("Hẹn giờ", publish=False)
    now = timezone.now()
    at = now + datetime.timedelta(hours=2)
    article = services.article_schedule(article=article, publish_at=at, acting_user=editor, now=now)
    assert article.status == ArticleStatus.SCHEDULED
    before = at - datetime.timedelta(minutes=1)
    assert public_article(slug=article.slug, now=before) is None
    assert list(public_articles(now=before)) == []
    assert public_article(slug=article.slug, now=at) == article
    assert list(public_articles(now=at)) == [article]


def test_publish_job_flips_due_articles_and_refreshes_the_pages(editor, make_article, monkeypatch):
    """``publish_scheduled`` records due articles as published (history door "command"),
    bumps the pages' version and forgets the passed schedule; not-yet-due ones wait."""
    now = timezone.now()
    soon = services.article_schedule(
        article=make_article("Sắp đăng", publish=False),
        publish_at=now + datetime.timedelta(minutes=5),
        acting_user=editor,
    )
    later = services.article_schedule(
        article=make_article("Đăng sau", publish=False),
        publish_at=now + datetime.timedelta(days=2),
        acting_user=editor,
    )
    assert pages_state().next_publish_at == soon.publish_at
    version = pages_state().version

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=6))
    call_command("publish_scheduled", stdout=io.StringIO())

    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.status, later.status) == (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)
    state = pages_state()
    assert state.version > version
    assert state.next_publish_at == later.publish_at
    last = soon.history.order_by("-history_id").first()
    assert (last.status, last.door, last.history_change_reason) == (
        ArticleStatus.PUBLISHED,
        Door.COMMAND,
        str(services.REASON_SCHEDULED_PUBLISH),
    )
    # A second run finds nothing and changes nothing.
    assert services.publish_due(now=now + datetime.timedelta(minutes=7)) == 0
    assert pages_state().version == state.version


def test_schedule_refuses_the_past_and_public_articles(editor, make_article):
    """A time already passed, and an article already public, cannot be scheduled."""
    draft = make_article("Nháp", publish=False)
    with pytest.raises(ValidationError) as error:
        services.article_schedule(
            article=draft,
            publish_at=timezone.now() - datetime.timedelta(minutes=1),
            acting_user=editor,
        )
    assert error.value.message_dict == {"publish_at": [str(services.ERROR_SCHEDULE_PAST)]}
    public = make_article("Đã đăng")
    with pytest.raises(ValidationError) as error:
        services.article_schedule(
            article=public,
            publish_at=timezone.now() + datetime.timedelta(days=1),
            acting_user=editor,
        )
    assert error.value.messages == [str(services.ERROR_SCHEDULE_STATUS)]


def test_unschedule_and_archive(editor, make_article):
    """A schedule can be cancelled (back to draft, no date); an archived article is no
    longer public and comes back with its first date when published again."""
    article = make_article("Tạm", publish=False)
    at = timezone.now() + datetime.timedelta(days=1)
    article = services.article_schedule(article=article, publish_at=at, acting_user=editor)
    article = services.article_unschedule(article=article, acting_user=editor)
    assert (article.status, article.publish_at) == (ArticleStatus.DRAFT, None)

    published = make_article("Lưu trữ")
    first_date = published.publish_at
    archived = services.article_archive(article=published, acting_user=editor)
    assert public_article(slug=archived.slug) is None
    again = services.article_publish(article=archived, acting_user=editor)
    assert again.publish_at == first_date
    assert public_article(slug=again.slug) == again


def test_an_empty_body_cannot_be_published(editor, make_article):
    article = make_article("Trống", publish=False, body="<p><script>x</script></p>")
    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, acting_user=editor)
    assert error.value.message_dict == {"body": [str(services.ERROR_BODY_REQUIRED)]}


def test_commune_officer_cannot_write_or_publish(officer, editor, make_article):
    """Two actors: the news editor writes and publishes; a commune officer (roster role
    without news permissions) is refused both, with the exact message."""
    article = make_article("Của biên tập viên", publish=False)
    with pytest.raises(PermissionDenied, match=str(services.ERROR_NOT_ALLOWED)):
        services.article_create(acting_user=officer, title="Tin", summary="x")
    with pytest.raises(PermissionDenied, match=str(services.ERROR_NOT_ALLOWED)):
        services.article_update(article=article, acting_user=officer, title="Sửa")
    with pytest.raises(PermissionDenied, match=str(services.ERROR_NOT_ALLOWED_PUBLISH)):
        services.article_publish(article=article, acting_user=officer)
    assert services.article_publish(article=article, acting_user=editor).status == "published"


def test_cover_image_gets_resized_variants_and_alt_text(editor):
    """A 1600 px upload: stored without metadata as JPEG, variants 1200/800/400 px in
    JPEG and WebP, the alt text on the article; the variants exist on disk."""
    article = services.article_create(
        acting_user=editor,
        title="Có ảnh",
        summary="x",
        cover_upload=picture_upload(size=(1600, 900)),
        cover_alt="Hội nghị Khối dân vận",
        cover_caption="Quang cảnh hội nghị",
        cover_credit="Minh Anh",
    )
    image = article.cover
    assert (image.width, image.height, image.alt) == (1600, 900, "Hội nghị Khối dân vận")
    assert [v["width"] for v in image.variants] == [1200, 800, 400]
    assert [v["height"] for v in image.variants] == [675, 450, 225]
    for variant in image.variants:
        for key, fmt in (("jpeg", "JPEG"), ("webp", "WEBP")):
            assert variant[key].startswith("news/")
            with default_storage.open(variant[key]) as handle:
                picture = PILImage.open(handle)
                assert (picture.format, picture.width) == (fmt, variant["width"])
    assert image.url.endswith("-w800.jpg")
    assert article.cover_alt == "Hội nghị Khối dân vận"


def test_small_image_gets_one_variant_and_wrong_files_are_refused(editor):
    """A 500 px picture gets a 400 px copy only; a text file, a missing alt text and a
    too large file are refused with Vietnamese messages."""
    from news import images

    small = services.image_create(
        upload=picture_upload(size=(500, 300), fmt="JPEG"), alt="Ảnh nhỏ", acting_user=editor
    )
    assert [v["width"] for v in small.variants] == [400]
    fake = picture_upload()
    fake.file = io.BytesIO(b"not a picture at all")
    fake.size = 20
    with pytest.raises(ValidationError) as error:
        services.image_create(upload=fake, alt="x", acting_user=editor)
    assert error.value.message_dict == {"file": [str(images.ERROR_NOT_IMAGE)]}
    with pytest.raises(ValidationError) as error:
        services.image_create(upload=picture_upload(), alt=" ", acting_user=editor)
    assert error.value.message_dict == {"alt": [str(services.ERROR_IMAGE_ALT_REQUIRED)]}
    with pytest.raises(ValidationError, match="tối đa 8 MB"):
        big = picture_upload()
        big.size = 9 * 1024 * 1024
        services.image_create(upload=big, alt="x", acting_user=editor)


def test_cover_needs_alt_text(editor):
    with pytest.raises(ValidationError) as error:
        services.article_create(
            acting_user=editor, title="T", summary="x", cover_upload=picture_upload()
        )
    assert error.value.message_dict == {"cover_alt": [str(services.ERROR_COVER_ALT_REQUIRED)]}


def test_every_write_keeps_a_revision_with_user_and_reason(editor, make_article):
    """Create, edit, publish: three history rows with the editor, the publication's
    reason, the values of each state."""
    article = make_article("Bài có lịch sử", publish=False)
    services.article_update(article=article, acting_user=editor, summary="Tóm tắt mới")
    services.article_publish(article=article, acting_user=editor)
    rows = list(Article.history.filter(id=article.pk).order_by("history_id"))
    assert [(r.history_type, r.status, r.summary) for r in rows] == [
        ("+", "draft", "Tóm tắt của Bài có lịch sử"),
        ("~", "draft", "Tóm tắt mới"),
        ("~", "published", "Tóm tắt mới"),
    ]
    assert {r.history_user for r in rows} == {editor}
    assert rows[-1].history_change_reason == str(services.REASON_PUBLISH)


def test_every_write_bumps_the_pages_version(editor, make_article):
    assert not NewsState.objects.exists()
    article = make_article("Một", publish=False)
    first = pages_state().version
    services.article_update(article=article, acting_user=editor, title="Hai")
    assert pages_state().version == first + 1
