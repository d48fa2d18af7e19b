"""The ratings screens over HTTP: who reaches what (two actors in every permission
test), what each form writes through the services, that bad input changes nothing, and
constant query counts on the lists."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.choices import ScoreStage, Stage
from evaluations.forms.criteria import ERROR_GROUP_UNKNOWN
from evaluations.models import CriteriaSet, Evaluation, EvaluationScore, EvidenceFile, MemberRating
from evaluations.scoring import ERROR_SCORE_RANGE
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from evaluations.services.evidence import ERROR_EVIDENCE_TYPE
from evaluations.services.ratings import (
    WARNING_QUOTA,
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.scores import ERROR_MISSING_GATES, ERROR_MISSING_ITEMS
from evaluations.services.steps import ERROR_ADJUST_REASON, ERROR_COMMENT_REQUIRED, ERROR_LOCKED
from members.services import membership_add
from tests.evaluations.conftest import FULL, GATES, GROUPS
from tests.factories import make_staff
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def district_staff(area_tree):
    return make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="huyen")


@pytest.fixture
def team_criteria(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="team",
        title="Tiêu chí đánh giá Tổ dân vận năm 2026",
        groups=GROUPS,
        gates=GATES,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


def sheet_url(unit, year=2026):
    return reverse("evaluations:sheet", args=[unit.pk, year])


def sheet_data(evaluation, scores, gates=None, **extra):
    """POST data of a score sheet: scores by item code, gate answers by code."""
    items = {i.code: i.pk for g in evaluation.criteria_set.groups.all() for i in g.items.all()}
    data = {f"score_{items[code]}": value for code, value in scores.items()}
    for gate in evaluation.criteria_set.gates.all():
        if gates and gate.code in gates:
            data[f"gate_{gate.pk}"] = "yes" if gates[gate.code] else "no"
    data.update(extra)
    return data


def proposed(unit, officer, scores=FULL, gates=None):
    """A rating waiting for a decision."""
    evaluation = evaluation_start(acting_user=officer, unit=unit, year=2026)
    evaluation_self_assess(
        acting_user=officer,
        evaluation=evaluation,
        scores=scores,
        gates=gates or {"K1": False},
        submit=True,
    )
    return evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)


def login(client, user):
    client.force_login(user)
    return client


# --- The self-assessment sheet --------------------------------------------------------


def test_officer_fills_the_sheet_with_decimal_commas_then_submits(
    client, bloc, bloc_criteria, officer
):
    """Start, save a draft with "7,5", submit the whole sheet: the stage moves to the
    commune's proposal, the page shows the total and level, and the sheet is read-only."""
    login(client, officer)
    response = client.get(sheet_url(bloc))
    assert response.status_code == 200
    assert "Bắt đầu tự đánh giá" in response.text

    response = client.post(reverse("evaluations:start", args=[bloc.pk, 2026]))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(unit=bloc, year=2026)

    page = client.get(sheet_url(bloc)).text
    assert 'inputmode="decimal"' in page and "Lưu nháp" in page and "<details" in page

    response = client.post(sheet_url(bloc), sheet_data(evaluation, {"1.1": "7,5"}, save="1"))
    assert response.status_code == 302
    score = EvaluationScore.objects.get(evaluation=evaluation, stage=ScoreStage.SELF)
    assert score.score == Decimal("7.5")
    page = client.get(sheet_url(bloc)).text
    assert 'value="7,5"' in page

    scores = {**FULL, "1.1": "7,5"}
    response = client.post(
        sheet_url(bloc), sheet_data(evaluation, scores, {"K1": False}, submit="1")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.self_total, evaluation.self_level) == (
        Stage.PROPOSAL,
        Decimal("97.5"),
        1,
    )
    page = client.get(sheet_url(bloc)).text
    assert "97,5" in page and "Hoàn thành xuất sắc nhiệm vụ" in page
    assert "Lưu nháp" not in page  # read-only now


def test_submit_with_missing_items_lists_them_and_changes_nothing(
    client, bloc, bloc_criteria, officer
):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    login(client, officer)
    response = client.post(sheet_url(bloc), sheet_data(evaluation, {"1.1": "5"}, submit="1"))
    assert response.status_code == 200
    assert ERROR_MISSING_ITEMS.format(codes="1.2, 2.1, 2.2") in response.text
    assert ERROR_MISSING_GATES.format(codes="K1") in response.text
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.SELF
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()


def test_out_of_range_score_is_refused_in_vietnamese_and_nothing_changes(
    client, bloc, bloc_criteria, officer
):
    """A score above the item's maximum: the message names the item and its range;
    the other, valid scores of the same form are not stored either."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    login(client, officer)
    response = client.post(
        sheet_url(bloc), sheet_data(evaluation, {"1.1": "12", "1.2": "20"}, save="1")
    )
    assert response.status_code == 200
    assert ERROR_SCORE_RANGE.format(code="1.1", max="10") in response.text
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    response = client.post(sheet_url(bloc), sheet_data(evaluation, {"1.1": "bảy"}, save="1"))
    assert "Điểm tiêu chí 1.1 phải là một số." in response.text


def test_sibling_commune_officer_gets_404_on_the_sheet(
    client, bloc, bloc_criteria, officer, sibling_officer
):
    """Commune A's officer reaches A's sheet; the sibling commune's officer gets the
    404 of a missing page, on every page and step of it, and writes nothing."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    assert login(client, officer).get(sheet_url(bloc)).status_code == 200
    client.force_login(sibling_officer)
    assert client.get(sheet_url(bloc)).status_code == 404
    response = client.post(sheet_url(bloc), sheet_data(evaluation, {"1.1": "5"}, save="1"))
    assert response.status_code == 404
    assert client.post(reverse("evaluations:start", args=[bloc.pk, 2026])).status_code == 404
    for name in ("proposal", "return"):
        assert client.get(reverse(f"evaluations:{name}", args=[evaluation.pk])).status_code == 404
    assert (
        client.get(reverse("evaluations:member_ratings", args=[bloc.pk, 2026])).status_code == 404
    )
    assert not EvaluationScore.objects.exists()


def test_locked_rating_refuses_edits(client, bloc, bloc_criteria, officer, province_staff):
    """Once decided, the sheet and the proposal are read-only and a forged POST gets
    the service's message, with the scores unchanged."""
    evaluation = proposed(bloc, officer)
    evaluation_decide(acting_user=province_staff, evaluation=evaluation)
    login(client, officer)
    page = client.get(sheet_url(bloc)).text
    assert "Lưu nháp" not in page and "Kết quả đã quyết định" in page
    before = list(EvaluationScore.objects.values_list("pk", "score").order_by("pk"))
    response = client.post(sheet_url(bloc), sheet_data(evaluation, {"1.1": "1"}, save="1"))
    assert response.status_code == 200
    assert str(ERROR_LOCKED) in response.text
    response = client.post(
        reverse("evaluations:proposal", args=[evaluation.pk]),
        sheet_data(evaluation, {"1.1": "1"}, save="1"),
    )
    assert str(ERROR_LOCKED) in response.text
    assert list(EvaluationScore.objects.values_list("pk", "score").order_by("pk")) == before


def test_evidence_upload_download_and_wrong_type(
    client, bloc, bloc_criteria, officer, sibling_officer
):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    item = evaluation.criteria_set.groups.get(code="1").items.get(code="1.1")
    login(client, officer)
    bad = SimpleUploadedFile("bien-ban.html", b"<script>alert(1)</script>", "text/html")
    response = client.post(
        sheet_url(bloc), sheet_data(evaluation, {}, save="1", **{f"evidence_{item.pk}": bad})
    )
    assert str(ERROR_EVIDENCE_TYPE) in response.text
    assert not EvidenceFile.objects.exists()

    photo = SimpleUploadedFile("bien-ban.png", PNG, "image/png")
    response = client.post(
        sheet_url(bloc), sheet_data(evaluation, {}, save="1", **{f"evidence_{item.pk}": photo})
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.item, evidence.uploaded_by) == (item, officer)
    url = reverse("evaluations:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(sibling_officer)
    assert client.get(url).status_code == 404

    client.force_login(officer)
    client.post(
        sheet_url(bloc), sheet_data(evaluation, {}, save="1", remove_evidence=[evidence.pk])
    )
    assert not EvidenceFile.objects.exists()


# --- The commune's proposal -------------------------------------------------------------


def test_proposal_starts_from_the_self_scores_and_goes_up(client, bloc, bloc_criteria, officer):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer,
        evaluation=evaluation,
        scores={**FULL, "2.1": "35"},
        gates={"K1": False},
        submit=True,
    )
    login(client, officer)
    url = reverse("evaluations:proposal", args=[evaluation.pk])
    page = client.get(url).text
    assert 'value="35"' in page and "Gửi đề xuất" in page
    response = client.post(
        url, sheet_data(evaluation, {**FULL, "2.1": "38,5"}, {"K1": False}, submit="1")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.proposed_total, evaluation.proposed_level) == (
        Stage.DECISION,
        Decimal("98.5"),
        1,
    )


# --- Decisions ----------------------------------------------------------------------------


def test_commune_officer_cannot_reach_decision_pages_nor_decide_by_post(
    client, bloc, bloc_criteria, officer, district_staff
):
    """The district staff reach the decision pages; the commune officer gets 403 on
    each and a forged POST decides nothing."""
    evaluation = proposed(bloc, officer)
    login(client, district_staff)
    assert client.get(reverse("evaluations:decision_list")).status_code == 200
    assert client.get(reverse("evaluations:decision", args=[evaluation.pk])).status_code == 200

    client.force_login(officer)
    assert client.get(reverse("evaluations:decision_list")).status_code == 403
    assert client.get(reverse("evaluations:decision", args=[evaluation.pk])).status_code == 403
    for name in ("approve", "not_rated"):
        response = client.post(reverse(f"evaluations:{name}", args=[evaluation.pk]), {"text": "x"})
        assert response.status_code == 403
    response = client.post(
        reverse("evaluations:bulk_approve"), {"ids": [evaluation.pk], "confirm": "1"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("evaluations:decision", args=[evaluation.pk]), sheet_data(evaluation, FULL)
    )
    assert response.status_code == 403
    # Returning a decision pending needs the decide permission too (the service says so).
    response = client.post(reverse("evaluations:return", args=[evaluation.pk]), {"text": "Sửa"})
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION and evaluation.decided_level is None


def test_decider_outside_the_area_gets_404(client, bloc, bloc_criteria, officer, area_tree):
    evaluation = proposed(bloc, officer)
    other = make_staff(StaffRole.DISTRICT_STAFF, [area_tree["sibling_district"]], username="h2")
    login(client, other)
    assert client.get(reverse("evaluations:decision", args=[evaluation.pk])).status_code == 404
    assert client.post(reverse("evaluations:approve", args=[evaluation.pk])).status_code == 404
    response = client.post(
        reverse("evaluations:bulk_approve"), {"ids": [evaluation.pk], "confirm": "1"}
    )
    assert response.status_code == 200  # the id is not among the user's: nothing approved
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION


def test_bulk_approval_shows_the_quota_warning_before_confirming(
    client, area_tree, bloc_criteria, officer, province_staff
):
    """Three level-1 proposals under a 20 % quota: the confirmation page warns and
    nothing is decided until the confirm button; then all three are locked."""
    officer.staff_profile.areas.add(area_tree["sibling_commune"], area_tree["commune_b"])
    officer._danvan_scope = None
    officer = type(officer).objects.get(pk=officer.pk)
    blocs = [
        unit_create(kind="bloc", area=area_tree[name])
        for name in ("commune", "sibling_commune", "commune_b")
    ]
    evaluations = [proposed(unit, officer) for unit in blocs]
    login(client, province_staff)
    page = client.get(reverse("evaluations:decision_list"), {"year": 2026}).text
    assert page.count('name="ids"') == 3
    assert "Phê duyệt các đơn vị đã chọn" in page

    ids = [e.pk for e in evaluations]
    response = client.post(reverse("evaluations:bulk_approve"), {"ids": ids, "year": "2026"})
    assert response.status_code == 200
    warning = WARNING_QUOTA.format(quota=20, count=3, total=3, allowed=0)
    assert warning in response.text
    assert "Xác nhận phê duyệt" in response.text
    assert not Evaluation.objects.filter(stage=Stage.DECIDED).exists()

    response = client.post(
        reverse("evaluations:bulk_approve"), {"ids": ids, "year": "2026", "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:decision_list") + "?year=2026"
    assert set(Evaluation.objects.values_list("stage", "decided_level")) == {(Stage.DECIDED, 1)}


def test_bulk_approval_without_a_selection_says_so(client, bloc, bloc_criteria, province_staff):
    login(client, province_staff)
    response = client.post(reverse("evaluations:bulk_approve"), {"year": "2026"})
    assert "Chưa chọn đơn vị nào." in response.text


def test_return_needs_a_comment_which_the_officer_then_sees(
    client, bloc, bloc_criteria, officer, province_staff
):
    evaluation = proposed(bloc, officer)
    url = reverse("evaluations:return", args=[evaluation.pk])
    login(client, province_staff)
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert str(ERROR_COMMENT_REQUIRED) in response.text
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION and evaluation.return_comment == ""

    response = client.post(url, {"text": "Tiêu chí 2.1 chưa có biên bản minh chứng."})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.PROPOSAL

    client.force_login(officer)
    for page_url in (sheet_url(bloc), reverse("evaluations:proposal", args=[evaluation.pk])):
        page = client.get(page_url).text
        assert 'data-testid="return-comment"' in page
        assert "Tiêu chí 2.1 chưa có biên bản minh chứng." in page


def test_adjusting_needs_a_reason(client, bloc, bloc_criteria, officer, district_staff):
    evaluation = proposed(bloc, officer)
    url = reverse("evaluations:decision", args=[evaluation.pk])
    login(client, district_staff)
    lowered = {**FULL, "2.1": "25"}
    response = client.post(url, sheet_data(evaluation, lowered, {"K1": False}))
    assert response.status_code == 200
    assert str(ERROR_ADJUST_REASON) in response.text
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION

    response = client.post(
        url, sheet_data(evaluation, lowered, {"K1": False}, reason="Thiếu biên bản họp quý 3")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.decided_total, evaluation.decided_level) == (
        Stage.DECIDED,
        Decimal("85"),
        2,
    )
    assert evaluation.adjust_reason == "Thiếu biên bản họp quý 3"


def test_approve_one_then_only_provincial_staff_reopen(
    client, bloc, bloc_criteria, officer, district_staff, province_staff
):
    evaluation = proposed(bloc, officer)
    login(client, district_staff)
    assert client.post(reverse("evaluations:approve", args=[evaluation.pk])).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECIDED
    page = client.get(reverse("evaluations:decision", args=[evaluation.pk])).text
    assert "Mở lại" not in page
    reopen = reverse("evaluations:reopen", args=[evaluation.pk])
    assert client.post(reopen, {"text": "Sai sót"}).status_code == 403

    client.force_login(province_staff)
    assert (
        "Mở lại xếp loại đã khóa"
        in client.get(reverse("evaluations:decision", args=[evaluation.pk])).text
    )
    assert client.post(reopen, {"text": ""}).status_code == 200
    assert client.post(reopen, {"text": "Phát hiện sai sót số liệu"}).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.reopen_reason) == (
        Stage.DECISION,
        "Phát hiện sai sót số liệu",
    )


def test_not_rated_with_a_reason(client, bloc, bloc_criteria, officer, district_staff):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    url = reverse("evaluations:not_rated", args=[evaluation.pk])
    login(client, district_staff)
    assert "Lý do không xếp loại" in client.get(url).text
    assert (
        "Ghi không xếp loại"
        in client.get(reverse("evaluations:decision", args=[evaluation.pk])).text
    )
    assert client.post(url, {"text": ""}).status_code == 200
    assert client.post(url, {"text": "Thành lập tháng 11"}).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.not_rated_reason) == (
        Stage.NOT_RATED,
        "Thành lập tháng 11",
    )


# --- Lists --------------------------------------------------------------------------------


def _teams(commune, count, officer, start=0):
    units = []
    for n in range(start, start + count):
        team = team_create_for_village(commune=commune, village_name=f"Thôn {n + 1}")
        units.append(team)
    return units


@pytest.mark.parametrize("name", ["evaluations:overview", "evaluations:decision_list"])
def test_lists_read_a_constant_number_of_queries(
    client, name, area_tree, team_criteria, officer, province_staff
):
    """3 units or 10, in every stage: the same number of queries."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"year": 2026, "stage": ""})  # every stage
        assert response.status_code == 200
        return len(queries), response.text

    teams = _teams(area_tree["commune"], 3, officer)
    proposed(teams[0], officer)
    evaluation_start(acting_user=officer, unit=teams[1], year=2026)
    login(client, province_staff)
    few, page = count()
    assert page.count("data-unit=") == 3
    more = _teams(area_tree["commune"], 7, officer, start=3)
    proposed(more[0], officer)
    decided = proposed(more[1], officer)
    evaluation_decide(acting_user=province_staff, evaluation=decided)
    many, page = count()
    assert page.count("data-unit=") == 10
    assert few == many


def test_overview_shows_units_not_started_and_filters(
    client, area_tree, team_criteria, bloc_criteria, officer, bloc
):
    teams = _teams(area_tree["commune"], 2, officer)
    proposed(teams[0], officer)
    login(client, officer)
    page = client.get(reverse("evaluations:overview"), {"year": 2026}).text
    assert page.count("data-unit=") == 3
    assert "Chưa tự đánh giá" in page
    page = client.get(reverse("evaluations:overview"), {"year": 2026, "stage": "decision"}).text
    assert page.count("data-unit=") == 1
    page = client.get(reverse("evaluations:overview"), {"year": 2026, "q": "khoi dan van"}).text
    assert page.count("data-unit=") == 1
    page = client.get(reverse("evaluations:overview"), {"year": 2026, "kind": "team"}).text
    assert page.count("data-unit=") == 2


# --- Criteria sets ------------------------------------------------------------------------


def _editor_data(**heading):
    data = {
        "title": "Tiêu chí Khối dân vận 2027",
        "quota_percent": "15",
        "groups-TOTAL_FORMS": "2",
        "groups-INITIAL_FORMS": "0",
        "groups-0-code": "1",
        "groups-0-title": "Tiêu chí chung",
        "groups-1-code": "2",
        "groups-1-title": "Kết quả thực hiện nhiệm vụ",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-group": "1",
        "items-0-code": "1.1",
        "items-0-text": "Có quyết định thành lập",
        "items-0-max_score": "30",
        "items-1-group": "2",
        "items-1-code": "2.1",
        "items-1-text": "Vận động nhân dân",
        "items-1-max_score": "69,5",
        "items-1-guidance": "Mỗi phong trào 10 điểm",
        "gates-TOTAL_FORMS": "1",
        "gates-INITIAL_FORMS": "0",
        "gates-0-code": "K1",
        "gates-0-question": "Để xảy ra điểm nóng",
        "gates-0-cap_level": "3",
        "scale-label_1": "Xuất sắc",
        "scale-min_1": "90",
        "scale-label_2": "Khá",
        "scale-min_2": "70",
        "scale-label_3": "Trung bình",
        "scale-min_3": "50",
        "scale-label_4": "Yếu",
        "scale-min_4": "0",
    }
    data.update(heading)
    return data


def test_provincial_staff_create_issue_and_version_a_set(
    client, area_tree, province_staff, officer, bloc
):
    login(client, province_staff)
    url = reverse("evaluations:criteria_create")
    assert client.get(url).status_code == 200
    bad = _editor_data(province=area_tree["province"].pk, year="2027", subject="bloc")
    bad["items-1-group"] = "9"
    response = client.post(url, bad)
    assert str(ERROR_GROUP_UNKNOWN).format(code="9") in response.text
    assert not CriteriaSet.objects.exists()

    data = _editor_data(province=area_tree["province"].pk, year="2027", subject="bloc")
    response = client.post(url, data)
    assert response.status_code == 302
    criteria_set = CriteriaSet.objects.get()
    assert (criteria_set.year, criteria_set.quota_percent, criteria_set.max_total) == (
        2027,
        15,
        Decimal("99.5"),
    )
    assert list(criteria_set.levels.values_list("label", flat=True)) == [
        "Xuất sắc", "Khá", "Trung bình", "Yếu",
    ]  # fmt: skip

    detail = reverse("evaluations:criteria_detail", args=[criteria_set.pk])
    issue = reverse("evaluations:criteria_issue", args=[criteria_set.pk])
    assert f'href="{issue}"' in client.get(detail).text
    # Issuing asks first (issue 17): the page, then only its confirm button issues.
    page = client.get(issue)
    assert page.status_code == 200 and "Xác nhận ban hành" in page.text
    assert "không thu hồi được" in page.text
    assert client.post(issue).status_code == 200
    criteria_set.refresh_from_db()
    assert not criteria_set.issued
    assert client.post(issue, {"confirm": "1"}).status_code == 302
    criteria_set.refresh_from_db()
    assert criteria_set.issued
    evaluation_start(acting_user=officer, unit=bloc, year=2027)
    page = client.get(detail).text
    assert "Đã dùng — tạo phiên bản mới" in page
    response = client.post(reverse("evaluations:criteria_new_version", args=[criteria_set.pk]))
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(version=2).exists()

    # A commune officer reads the set and may not change it.
    client.force_login(officer)
    assert client.get(detail).status_code == 200
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("evaluations:criteria_issue", args=[criteria_set.pk])).status_code
        == 403
    )


def test_provincial_staff_of_another_province_get_404_on_a_set(
    client, area_tree, bloc_criteria, province_staff
):
    other = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="t2")
    detail = reverse("evaluations:criteria_detail", args=[bloc_criteria.pk])
    assert login(client, province_staff).get(detail).status_code == 200
    client.force_login(other)
    assert client.get(detail).status_code == 404
    response = client.get(reverse("evaluations:criteria_update", args=[bloc_criteria.pk]))
    assert response.status_code == 404


def test_copy_a_set_to_the_next_year(client, bloc_criteria, province_staff):
    login(client, province_staff)
    url = reverse("evaluations:criteria_copy", args=[bloc_criteria.pk])
    assert 'value="2027"' in client.get(url).text
    response = client.post(url, {"year": "2027"})
    assert response.status_code == 302
    copy = CriteriaSet.objects.get(year=2027)
    assert (copy.copied_from, copy.issued, copy.title) == (
        bloc_criteria,
        False,
        "Tiêu chí đánh giá Khối dân vận năm 2027",
    )


def test_edit_keeps_the_set_whole(client, bloc_criteria, province_staff):
    """The edit page starts from the stored set; saving it unchanged changes nothing."""
    login(client, province_staff)
    url = reverse("evaluations:criteria_update", args=[bloc_criteria.pk])
    response = client.get(url)
    editor = response.context["editor"]
    data = {"title": bloc_criteria.title, "quota_percent": "25"}
    for name, formset in (
        ("groups", editor.groups),
        ("items", editor.items),
        ("gates", editor.gates),
    ):
        data[f"{name}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{name}-INITIAL_FORMS"] = "0"
        for i, form in enumerate(formset.forms):
            for field in form.fields:
                value = form.initial.get(field, "")
                data[f"{name}-{i}-{field}"] = value
    for field, value in editor.scale.initial.items():
        data[f"scale-{field}"] = value
    response = client.post(url, data)
    assert response.status_code == 302
    bloc_criteria.refresh_from_db()
    assert bloc_criteria.quota_percent == 25
    assert bloc_criteria.max_total == Decimal("100")
    assert bloc_criteria.gates.get().cap_level == 3


# --- Member ratings -----------------------------------------------------------------------


def test_member_ratings_per_roster_through_every_step(
    client, bloc, officer, district_staff, sibling_officer
):
    first = membership_add(unit=bloc, full_name="Lò Văn Pọm", birth_year=1970)
    second = membership_add(unit=bloc, full_name="Hà Thị Thu", birth_year=1982)
    url = reverse("evaluations:member_ratings", args=[bloc.pk, 2026])
    login(client, officer)
    page = client.get(url).text
    assert "Lò Văn Pọm" in page and "Hà Thị Thu" in page
    response = client.post(url, {f"level_{first.pk}": "1", f"level_{second.pk}": "2"})
    assert response.status_code == 302
    assert set(MemberRating.objects.values_list("stage", "self_level")) == {
        (Stage.PROPOSAL, 1),
        (Stage.PROPOSAL, 2),
    }
    client.post(url, {f"level_{first.pk}": "1", f"level_{second.pk}": "2"})
    assert set(MemberRating.objects.values_list("stage", flat=True)) == {Stage.DECISION}
    # The commune officer cannot decide: no field, and a forged POST changes nothing.
    assert f'name="level_{first.pk}"' not in client.get(url).text
    client.post(url, {f"level_{first.pk}": "1"})
    assert set(MemberRating.objects.values_list("stage", flat=True)) == {Stage.DECISION}

    client.force_login(district_staff)
    response = client.post(url, {f"level_{first.pk}": "2", f"level_{second.pk}": "2"})
    assert response.status_code == 200
    assert str(ERROR_ADJUST_REASON) in response.text
    assert set(MemberRating.objects.values_list("stage", flat=True)) == {Stage.DECISION}
    response = client.post(
        url,
        {
            f"level_{first.pk}": "2",
            f"reason_{first.pk}": "Vắng nhiều buổi",
            f"level_{second.pk}": "2",
        },
    )
    assert response.status_code == 302
    assert set(MemberRating.objects.values_list("stage", "decided_level")) == {(Stage.DECIDED, 2)}
    client.force_login(sibling_officer)
    assert client.get(url).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, bloc):
    response = client.get(reverse("evaluations:overview"))
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]


def test_news_editor_is_refused(client, db):
    editor = make_staff(StaffRole.NEWS_EDITOR, username="bientap")
    assert login(client, editor).get(reverse("evaluations:overview")).status_code == 403


def test_pages_fit_the_unit_and_roster_links(client, bloc, bloc_criteria, officer):
    """The roster page links to the unit's rating and member ratings."""
    login(client, officer)
    page = client.get(reverse("members:unit_detail", args=[bloc.pk])).text
    assert reverse("evaluations:unit_rating", args=[bloc.pk]) in page
    response = client.get(reverse("evaluations:unit_rating", args=[bloc.pk]))
    assert response["Location"] == sheet_url(bloc)
