"""The news of the demo data (news.demo, called by generate_demo)."""

import pytest
from django.utils import timezone

from news.choices import ArticleStatus
from news.demo import news_generate
from news.models import Article, Category
from news.sanitize import clean_body

pytestmark = pytest.mark.django_db


def test_demo_news_about_the_provinces_with_pictures(area_tree, team):
    """A few dozen articles in five categories, most published in the past, a few
    scheduled, archived and drafts; every article has a cover with alt text; bodies are
    already clean; a second run adds nothing."""
    counts = news_generate(provinces=[area_tree["province"]], seed=3)
    articles = list(Article.objects.select_related("cover"))
    assert 24 <= counts.articles == len(articles) <= 40
    assert Category.objects.count() == 5
    statuses = {s: sum(a.status == s for a in articles) for s in ArticleStatus.values}
    assert statuses["scheduled"] == 3 and statuses["archived"] == 3 and statuses["draft"] == 2
    now = timezone.now()
    assert all(a.publish_at > now for a in articles if a.status == "scheduled")
    assert all(a.publish_at < now for a in articles if a.status == "published")
    assert all(a.cover and a.cover_alt and a.cover.variants for a in articles)
    assert all(clean_body(a.body) == a.body for a in articles)
    assert any("<figure><img" in a.body for a in articles)
    assert any("Tổ dân vận tổ 1" in a.title or "tổ 1" in a.title for a in articles)
    assert news_generate(provinces=[area_tree["province"]], seed=3).articles == 0
