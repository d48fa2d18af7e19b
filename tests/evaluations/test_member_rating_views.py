"""One member's rating: its page (steps, who, when, reasons, changes) and the steps
that need a written reason (return, not rated, reopen), through the same views as a
unit's rating. Two actors in every permission test; bad input changes nothing."""

import pytest
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.models import MemberRating
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.steps import ERROR_COMMENT_REQUIRED, ERROR_REASON_REQUIRED
from members.services import membership_add
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_staff(area_tree):
    return make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="huyen")


@pytest.fixture
def other_province_staff(area_tree):
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="t2")


@pytest.fixture
def membership(bloc):
    return membership_add(unit=bloc, full_name="Lò Văn Pọm", birth_year=1970)


def rating_at(membership, stage, officer, decider=None):
    """The member's 2026 rating moved on to ``stage`` through the services."""
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    order = [Stage.SELF, Stage.PROPOSAL, Stage.DECISION, Stage.DECIDED]
    while order.index(rating.stage) < order.index(stage):
        actor = decider if rating.stage == Stage.DECISION else officer
        rating = member_rating_step(acting_user=actor, rating=rating, level=2)
    return rating


def url(name, rating):
    return reverse(f"evaluations:{name}", args=[rating.pk])


def test_the_page_shows_each_step_and_the_roster_links_to_it(
    client, membership, officer, district_staff, sibling_officer
):
    rating = rating_at(membership, Stage.DECISION, officer)
    client.force_login(officer)
    roster = client.get(reverse("evaluations:member_ratings", args=[membership.unit_id, 2026]))
    assert url("member_rating", rating) in roster.text
    page = client.get(url("member_rating", rating))
    assert page.status_code == 200
    text = page.text
    assert "Lò Văn Pọm" in text and 'data-testid="member-steps"' in text
    assert "Mức 2" in text and officer.get_username() in text
    # A commune officer may not return a decision pending, nor close it, nor reopen.
    assert url("member_return", rating) not in text
    assert url("member_not_rated", rating) not in text
    client.force_login(district_staff)
    text = client.get(url("member_rating", rating)).text
    assert url("member_return", rating) in text and url("member_not_rated", rating) in text
    assert url("member_reopen", rating) not in text
    client.force_login(sibling_officer)
    assert client.get(url("member_rating", rating)).status_code == 404


def test_return_needs_a_comment_then_goes_back_one_step_with_history(
    client, membership, officer, district_staff, sibling_officer
):
    rating = rating_at(membership, Stage.DECISION, officer)
    client.force_login(district_staff)
    response = client.post(url("member_return", rating), {"text": "  "})
    assert response.status_code == 200
    assert str(ERROR_COMMENT_REQUIRED) in response.text
    rating.refresh_from_db()
    assert (rating.stage, rating.return_comment) == (Stage.DECISION, "")

    # Outside the area: 404, nothing changed.
    client.force_login(sibling_officer)
    assert client.post(url("member_return", rating), {"text": "Sai"}).status_code == 404
    # A commune officer may not return a decision pending: the service refuses (403).
    client.force_login(officer)
    assert client.post(url("member_return", rating), {"text": "Sai"}).status_code == 403
    rating.refresh_from_db()
    assert rating.stage == Stage.DECISION

    client.force_login(district_staff)
    changes_before = rating.history.count()
    response = client.post(url("member_return", rating), {"text": "Chưa họp tổ bình xét"})
    assert response.status_code == 302 and response["Location"] == url("member_rating", rating)
    rating.refresh_from_db()
    assert (rating.stage, rating.return_comment) == (Stage.PROPOSAL, "Chưa họp tổ bình xét")
    # What each step recorded is kept; the change is in the history.
    assert (rating.self_level, rating.proposed_level) == (2, 2)
    assert rating.history.count() == changes_before + 1
    client.force_login(officer)
    page = client.get(url("member_rating", rating)).text
    assert 'data-testid="return-comment"' in page and "Chưa họp tổ bình xét" in page
    assert 'data-testid="member-changes"' in page
    # The commune now returns its proposal step to the member's self-assessment.
    response = client.post(url("member_return", rating), {"text": "Tự đánh giá lại"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.stage == Stage.SELF


def test_not_rated_needs_a_reason_and_is_the_deciders_step(
    client, membership, officer, district_staff
):
    rating = rating_at(membership, Stage.PROPOSAL, officer)
    client.force_login(officer)
    assert client.get(url("member_not_rated", rating)).status_code == 403
    assert client.post(url("member_not_rated", rating), {"text": "Ốm dài ngày"}).status_code == 403
    client.force_login(district_staff)
    page = client.get(url("member_not_rated", rating))
    assert page.status_code == 200 and "Lý do không xếp loại" in page.text
    response = client.post(url("member_not_rated", rating), {"text": ""})
    assert response.status_code == 200 and str(ERROR_REASON_REQUIRED) in response.text
    rating.refresh_from_db()
    assert rating.stage == Stage.PROPOSAL
    response = client.post(url("member_not_rated", rating), {"text": "Ốm dài ngày"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.stage, rating.not_rated_reason) == (Stage.NOT_RATED, "Ốm dài ngày")
    assert "Ốm dài ngày" in client.get(url("member_rating", rating)).text


def test_only_provincial_staff_reopen_with_a_reason(
    client, membership, officer, district_staff, province_staff, other_province_staff
):
    rating = rating_at(membership, Stage.DECIDED, officer, decider=district_staff)
    reopen = url("member_reopen", rating)
    for user in (officer, district_staff):
        client.force_login(user)
        assert reopen not in client.get(url("member_rating", rating)).text
        assert client.post(reopen, {"text": "Sai sót"}).status_code == 403
    client.force_login(other_province_staff)
    assert client.get(url("member_rating", rating)).status_code == 404
    assert client.post(reopen, {"text": "Sai sót"}).status_code == 404
    rating.refresh_from_db()
    assert rating.stage == Stage.DECIDED

    client.force_login(province_staff)
    assert reopen in client.get(url("member_rating", rating)).text
    response = client.post(reopen, {"text": " "})
    assert response.status_code == 200 and str(ERROR_REASON_REQUIRED) in response.text
    rating.refresh_from_db()
    assert rating.stage == Stage.DECIDED
    response = client.post(reopen, {"text": "Phát hiện sai sót"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.stage, rating.reopen_reason, rating.decided_level) == (
        Stage.DECISION,
        "Phát hiện sai sót",
        2,
    )
    assert MemberRating.objects.count() == 1
    page = client.get(url("member_rating", rating)).text
    assert "Đã được mở lại, lý do:" in page and "Phát hiện sai sót" in page


def test_a_rating_is_read_by_the_area_only(client, membership, officer, province_staff, area_tree):
    rating = rating_at(membership, Stage.PROPOSAL, officer)
    other = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["other_province"]], username="x3")
    client.force_login(province_staff)
    assert client.get(url("member_rating", rating)).status_code == 200
    client.force_login(other)
    for name in ("member_rating", "member_return"):
        assert client.get(url(name, rating)).status_code == 404
    assert client.get(url("member_rating", rating) + "9999/").status_code == 404
