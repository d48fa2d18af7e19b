"""Approval chains set per province (evaluations.chains): every actor × every step ×
every chain shape, the services and the one map (``evaluations.stages``) agreeing.

``TAKERS`` is the rule table the expectations are generated from: for each chain shape,
which roles take each step (a step the shape skips is taken by its default roles, when
a rating still waits there). System administrators take every step; every other actor
needs the area. Each case is tried through the service (rolled back) and asked of
``stages``: a step offered is a step taken, a step refused is not offered.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations import stages
from evaluations.chains import DEFAULT, ChainBook, chain_of
from evaluations.choices import Stage, Subject
from evaluations.models import ApprovalChain, Evaluation, MemberRating
from evaluations.selectors.overview import attach_labels, rating_overview
from evaluations.services.chains import approval_chain_reset, approval_chain_set
from evaluations.services.criteria import criteria_set_copy, criteria_set_issue
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import (
    ERROR_NOT_IN_CHAIN,
    rating_not_rated,
    rating_reopen,
    rating_return,
)
from members.services import membership_add
from tests.evaluations.conftest import FULL
from tests.factories import make_staff
from units.services import unit_create

pytestmark = pytest.mark.django_db

OFFICER, APPROVER = StaffRole.COMMUNE_OFFICER, StaffRole.COMMUNE_APPROVER
DISTRICT, PROVINCE = StaffRole.DISTRICT_STAFF, StaffRole.PROVINCE_STAFF

#: The rule table: who takes each step, per chain shape.
TAKERS = {
    "default": {
        Stage.SELF: {OFFICER, DISTRICT, PROVINCE},
        Stage.PROPOSAL: {OFFICER, DISTRICT, PROVINCE},
        Stage.DECISION: {DISTRICT, PROVINCE},
    },
    # Teams: self-assessment → the commune Party committee approver decides.
    "team": {Stage.SELF: {OFFICER}, Stage.DECISION: {APPROVER}},
    # Blocs: self-assessment → the commune officer proposes → provincial staff decide.
    "bloc": {Stage.SELF: {OFFICER}, Stage.PROPOSAL: {OFFICER}, Stage.DECISION: {PROVINCE}},
}
#: The chain each shape sets (kind, self, proposal, decision); the default sets none.
CHAINS = {
    "default": None,
    "team": (Subject.TEAM, OFFICER, "", APPROVER),
    "bloc": (Subject.BLOC, OFFICER, OFFICER, PROVINCE),
}
#: The actors: (role, area key of area_tree, or None), and whether their area covers
#: the rated unit (commune A).
ACTORS = {
    "anonymous": (None, None, False),
    "news_editor": (StaffRole.NEWS_EDITOR, None, False),
    "officer_a": (OFFICER, "commune", True),
    "officer_b": (OFFICER, "sibling_commune", False),
    "approver_a": (APPROVER, "commune", True),
    "approver_b": (APPROVER, "sibling_commune", False),
    "district": (DISTRICT, "district", True),
    "province": (PROVINCE, "province", True),
    "other_province": (PROVINCE, "other_province", False),
    "admin": (StaffRole.SYSTEM_ADMIN, None, True),
}
ALL_STAGES = (Stage.SELF, Stage.PROPOSAL, Stage.DECISION, Stage.DECIDED, Stage.NOT_RATED)
STEPS = ("self", "propose", "decide", "return", "close", "reopen", "member_step")


def takes(shape: str, actor: str, stage: str) -> bool:
    role, _area, covers = ACTORS[actor]
    if role == StaffRole.SYSTEM_ADMIN:
        return True
    table = TAKERS[shape]
    return covers and role in table.get(stage, TAKERS["default"][stage])


def expected(shape: str, actor: str, stage: str, step: str) -> str:
    """``+`` taken, ``x`` refused for the permission, the area or the chain, ``!``
    refused for the rating's stage (the services check who first, then the stage;
    a return checks the stage first)."""
    role, _area, covers = ACTORS[actor]
    locked = stage in (Stage.DECIDED, Stage.NOT_RATED)
    step_stage = {"self": Stage.SELF, "propose": Stage.PROPOSAL, "decide": Stage.DECISION}
    if step in step_stage:
        if not takes(shape, actor, step_stage[step]):
            return "x"
        return "+" if stage == step_stage[step] else "!"
    if step == "member_step":
        if locked:
            return "!"
        return "+" if takes(shape, actor, stage) else "x"
    if step == "return":
        if stage not in (Stage.PROPOSAL, Stage.DECISION):
            return "!"
        return "+" if takes(shape, actor, stage) else "x"
    if step == "close":
        if not takes(shape, actor, Stage.DECISION):
            return "x"
        return "!" if locked else "+"
    # reopen: provincial staff of the area and system administrators, whatever the chain
    if not (covers and role in (PROVINCE, StaffRole.SYSTEM_ADMIN)):
        return "x"
    return "+" if locked else "!"


class _Undo(Exception):
    pass


def _try(action) -> str:
    try:
        with transaction.atomic():
            action()
            raise _Undo
    except _Undo:
        return "+"
    except PermissionDenied:
        return "x"
    except ValidationError:
        return "!"


@pytest.fixture
def users(area_tree):
    users = {"anonymous": AnonymousUser()}
    for name, (role, area, _covers) in ACTORS.items():
        if role is not None:
            areas = [area_tree[area]] if area else []
            users[name] = make_staff(role, areas, username=name)
    return users


def _set_chain(shape, province, admin):
    if CHAINS[shape] is not None:
        kind, self_role, proposal_role, decision_role = CHAINS[shape]
        approval_chain_set(
            acting_user=admin,
            province=province,
            kind=kind,
            self_role=self_role,
            proposal_role=proposal_role,
            decision_role=decision_role,
        )


def _build(shape, unit, criteria, admin):
    """One rating of ``unit`` and of one member at every stage the shape reaches, moved
    there by a system administrator through the chain (one year each)."""
    reached = [s for s in ALL_STAGES if s != Stage.PROPOSAL or Stage.PROPOSAL in TAKERS[shape]]
    years = {stage: 2021 + i for i, stage in enumerate(reached)}
    for year in years.values():
        copy = criteria_set_copy(acting_user=admin, source=criteria, year=year)
        criteria_set_issue(acting_user=admin, criteria_set=copy)
    membership = membership_add(unit=unit, full_name="Lò Văn Pọm", birth_year=1970)
    built = {}
    for stage, year in years.items():
        evaluation = evaluation_start(acting_user=admin, unit=unit, year=year)
        member = member_rating_start(acting_user=admin, membership=membership, year=year)
        if stage == Stage.NOT_RATED:
            rating_not_rated(acting_user=admin, rating=evaluation, reason="Giải thể")
            rating_not_rated(acting_user=admin, rating=member, reason="Chuyển công tác")
        elif stage != Stage.SELF:
            evaluation_self_assess(
                acting_user=admin, evaluation=evaluation, scores=FULL, gates={"K1": False},
                submit=True,
            )  # fmt: skip
            member_rating_step(acting_user=admin, rating=member, level=2)
            if evaluation.stage == Stage.PROPOSAL and stage != Stage.PROPOSAL:
                evaluation_propose(acting_user=admin, evaluation=evaluation, submit=True)
                member_rating_step(acting_user=admin, rating=member, level=2)
            if stage == Stage.DECIDED:
                evaluation_decide(acting_user=admin, evaluation=evaluation)
                member_rating_step(acting_user=admin, rating=member, level=2)
        assert evaluation.stage == stage and member.stage == stage
        built[stage] = (evaluation.pk, member.pk)
    return built


def _services(user, evaluation_pk, member_pk) -> dict[str, str]:
    def unit():
        return Evaluation.objects.get(pk=evaluation_pk)

    def member():
        return MemberRating.objects.get(pk=member_pk)

    return {
        "self": _try(
            lambda: evaluation_self_assess(
                acting_user=user, evaluation=unit(), scores=FULL, gates={"K1": False}
            )
        ),
        "propose": _try(lambda: evaluation_propose(acting_user=user, evaluation=unit())),
        "decide": _try(lambda: evaluation_decide(acting_user=user, evaluation=unit())),
        "return": _try(lambda: rating_return(acting_user=user, rating=unit(), comment="Xem lại")),
        "close": _try(lambda: rating_not_rated(acting_user=user, rating=unit(), reason="Giải thể")),
        "reopen": _try(lambda: rating_reopen(acting_user=user, rating=unit(), reason="Sai sót")),
        "member_step": _try(
            lambda: member_rating_step(acting_user=user, rating=member(), level=1, reason="Tốt")
        ),
    }


def _offered(user, evaluation_pk, member_pk) -> dict[str, bool]:
    evaluation = Evaluation.objects.get(pk=evaluation_pk)
    member = MemberRating.objects.get(pk=member_pk)
    return {
        "self": stages.can_type(user, evaluation, Stage.SELF),
        "propose": stages.can_type(user, evaluation, Stage.PROPOSAL),
        "decide": stages.can_type(user, evaluation, Stage.DECISION),
        "return": stages.can_return(user, evaluation),
        "close": stages.can_close(user, evaluation),
        "reopen": stages.can_reopen(user, evaluation),
        "member_step": not member.is_locked and stages.can_take(user, member),
    }


@pytest.mark.parametrize("shape", ["default", "team", "bloc"])
def test_every_actor_and_step_of_every_chain(shape, client, area_tree, users, bloc, team, request):
    """The services answer exactly what the rule table says, the map offers exactly
    what the services take (an actor outside the area is left out of this comparison:
    the pages answer 404 before asking), and the pages offer what the map says."""
    admin = users["admin"]
    _set_chain(shape, area_tree["province"], admin)
    kind = CHAINS[shape][0] if CHAINS[shape] else Subject.BLOC
    unit = team if kind == Subject.TEAM else bloc
    criteria = request.getfixturevalue(f"{kind}_criteria")
    built = _build(shape, unit, criteria, admin)
    wrong = []
    for actor, user in users.items():
        for stage, (evaluation_pk, member_pk) in built.items():
            done = _services(user, evaluation_pk, member_pk)
            offered = _offered(user, evaluation_pk, member_pk) if ACTORS[actor][2] else None
            for step in STEPS:
                want = expected(shape, actor, stage, step)
                if done[step] != want:
                    wrong.append(f"{actor} {step} at {stage}: expected {want} got {done[step]}")
                if offered is not None and offered[step] != (done[step] == "+"):
                    wrong.append(f"{actor} {step} at {stage}: offered {offered[step]}")
    wrong += _pages(client, shape, users, built)
    assert not wrong, "\n".join(wrong)


def _pages(client, shape, users, built) -> list[str]:
    """The pages offer what the table gives: the decision form of a rating waiting for
    the decision, the self-assessment form of one waiting for it (covering actors; a
    page the role's permission does not open answers 403)."""
    wrong = []
    waiting = Evaluation.objects.get(pk=built[Stage.DECISION][0])
    own = Evaluation.objects.get(pk=built[Stage.SELF][0])
    pages = (
        ("decide", Stage.DECISION, reverse("evaluations:decision", args=[waiting.pk])),
        ("self", Stage.SELF, reverse("evaluations:sheet", args=[own.unit_id, own.year])),
    )
    for actor, (role, _area, covers) in ACTORS.items():
        if role is None or not covers:
            continue
        client.force_login(users[actor])
        for step, stage, url in pages:
            response = client.get(url)
            want = expected(shape, actor, stage, step) == "+"
            if response.status_code == 403:
                offered = False
            elif step == "decide":
                offered = response.context["form"] is not None
            else:
                offered = response.context["editable"]
            if offered != want:
                wrong.append(f"{actor} page {step}: offered {offered}, expected {want}")
    return wrong


def test_a_team_chain_skips_the_proposal(client, area_tree, users, team, team_criteria):
    """Self-assessment → the approver decides: the self-assessment goes up as the sheet
    the decision starts from; a return from the decision goes back to the unit."""
    admin, officer, approver = users["admin"], users["officer_a"], users["approver_a"]
    _set_chain("team", area_tree["province"], admin)
    evaluation = evaluation_start(acting_user=officer, unit=team, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    assert evaluation.stage == Stage.DECISION
    assert (evaluation.proposed_total, evaluation.proposed_level) == (100, 1)
    assert evaluation.proposed_by is None
    assert stages.return_targets(evaluation) == (Stage.SELF,)
    # The lists say what went up: the self-assessment, not a proposal.
    rows = attach_labels(rating_overview(user=approver, year=2026).rows)
    result = next(r for r in rows if r.pk == team.pk).step_result
    assert (result.label, result.total_text) == ("Tự đánh giá đã gửi", "100")
    client.force_login(approver)
    with pytest.raises(PermissionDenied) as refused:
        evaluation_decide(acting_user=users["province"], evaluation=evaluation)
    assert str(refused.value.args[0]) == str(ERROR_NOT_IN_CHAIN).format(stage=Stage.DECISION.label)
    page = client.get(reverse("evaluations:decision", args=[evaluation.pk]))
    assert "Phê duyệt theo tự đánh giá" in page.text
    assert 'data-testid="proposal-result"' not in page.text
    rating_return(acting_user=approver, rating=evaluation, comment="Bổ sung minh chứng")
    assert evaluation.stage == Stage.SELF
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_decide(acting_user=approver, evaluation=evaluation)
    assert (evaluation.stage, evaluation.decided_level) == (Stage.DECIDED, 1)


def test_a_rating_waiting_at_a_step_the_new_chain_skips_finishes_it(
    area_tree, users, team, team_criteria
):
    """The chain changed under a rating waiting for the commune's proposal: the officer
    proposes as by default, then the chain's approver decides."""
    officer, approver = users["officer_a"], users["approver_a"]
    evaluation = evaluation_start(acting_user=officer, unit=team, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    assert evaluation.stage == Stage.PROPOSAL
    _set_chain("team", area_tree["province"], users["admin"])
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert stages.can_take(officer, evaluation)
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    evaluation_decide(acting_user=approver, evaluation=evaluation)
    assert evaluation.stage == Stage.DECIDED


def test_member_ratings_follow_their_units_chain(area_tree, users, team):
    """A team member's rating skips the proposal too; its level goes up unchanged."""
    _set_chain("team", area_tree["province"], users["admin"])
    membership = membership_add(unit=team, full_name="Lò Thị Én", birth_year=1980)
    officer, approver = users["officer_a"], users["approver_a"]
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    member_rating_step(acting_user=officer, rating=rating, level=2)
    assert (rating.stage, rating.proposed_level) == (Stage.DECISION, 2)
    with pytest.raises(PermissionDenied):
        member_rating_step(acting_user=users["district"], rating=rating, level=2)
    member_rating_step(acting_user=approver, rating=rating, level=2)
    assert rating.decided_level == 2


def test_chains_are_read_once_per_rating_and_once_per_list(
    area_tree, users, team, bloc, django_assert_num_queries
):
    _set_chain("team", area_tree["province"], users["admin"])
    _set_chain("bloc", area_tree["province"], users["admin"])
    book = ChainBook()  # read when first asked, once
    with django_assert_num_queries(1):
        assert len(book.chains) == 2
    ratings = [Evaluation(unit=u, area_path=u.area_path, year=2026) for u in (team, bloc) * 5]
    with django_assert_num_queries(0):
        chains = [chain_of(r, book) for r in ratings]
    assert {c.stages for c in chains} == {
        (Stage.SELF, Stage.DECISION),
        (Stage.SELF, Stage.PROPOSAL, Stage.DECISION),
    }
    with django_assert_num_queries(1):
        chain_of(ratings[0])
        chain_of(ratings[0])  # kept on the rating
    far = unit_create(kind="bloc", area=area_tree["far_commune"])
    assert chain_of(Evaluation(unit=far, area_path=far.area_path, year=2026), book) is DEFAULT


def test_the_setting_service_checks_the_roles_and_who_sets(area_tree, users):
    province = area_tree["province"]
    with pytest.raises(ValidationError) as invalid:
        approval_chain_set(
            acting_user=users["province"],
            province=province,
            kind=Subject.TEAM,
            self_role=OFFICER,
            proposal_role="",
            decision_role=OFFICER,
        )
    assert "decision_role" in invalid.value.message_dict
    for actor in ("officer_a", "approver_a", "other_province"):
        with pytest.raises(PermissionDenied):
            _set_chain_as(users[actor], province)
    _set_chain_as(users["province"], province)
    chain = ApprovalChain.objects.get(province=province, kind=Subject.TEAM)
    assert chain.history.count() == 1
    assert chain.history.first().history_user == users["province"]
    approval_chain_reset(acting_user=users["province"], province=province, kind=Subject.TEAM)
    assert not ApprovalChain.objects.exists()


def _set_chain_as(user, province):
    approval_chain_set(
        acting_user=user,
        province=province,
        kind=Subject.TEAM,
        self_role=OFFICER,
        proposal_role="",
        decision_role=APPROVER,
    )


def test_the_chain_page_sets_a_chain_and_goes_back_to_the_default(client, area_tree, users):
    province = area_tree["province"]
    client.force_login(users["province"])
    url = reverse("evaluations:chains", args=[province.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Quy trình phê duyệt của Tỉnh Bắc Kạn" in page.text
    assert "Cấp ủy xã phê duyệt" in page.text
    answer = client.post(
        url,
        {
            "kind": "team",
            "team-mode": "custom",
            "team-self_role": OFFICER,
            "team-proposal_role": "",
            "team-decision_role": APPROVER,
        },
    )
    assert answer.status_code == 302
    chain = ApprovalChain.objects.get(province=province, kind="team")
    assert (chain.proposal_role, chain.decision_role) == ("", APPROVER)
    # A role the step does not take: the message beside the field, nothing changed.
    refused = client.post(
        url,
        {
            "kind": "bloc",
            "bloc-mode": "custom",
            "bloc-self_role": OFFICER,
            "bloc-proposal_role": APPROVER,
            "bloc-decision_role": OFFICER,
        },
    )
    assert refused.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in refused.text or "hợp lệ" in refused.text
    assert not ApprovalChain.objects.filter(kind="bloc").exists()
    client.post(url, {"kind": "team", "team-mode": "default", "team-self_role": OFFICER,
                      "team-decision_role": PROVINCE})  # fmt: skip
    assert not ApprovalChain.objects.exists()
    # The list of one province goes straight to it; other staff get 403.
    assert client.get(reverse("evaluations:chain_list")).url == url
    client.force_login(users["approver_a"])
    assert client.get(url).status_code == 403


def test_the_decision_list_opens_on_what_waits_for_the_user(
    client, area_tree, users, team, bloc, team_criteria, bloc_criteria, django_assert_num_queries
):
    """Teams decided by the commune approver, blocs by the province: each sees only
    their own waiting ratings, and bulk approval takes only those."""
    _set_chain("team", area_tree["province"], users["admin"])
    officer = users["officer_a"]
    for unit in (team, bloc):
        evaluation = evaluation_start(acting_user=officer, unit=unit, year=2026)
        evaluation_self_assess(
            acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False},
            submit=True,
        )  # fmt: skip
        if evaluation.stage == Stage.PROPOSAL:
            evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    url = reverse("evaluations:decision_list") + "?year=2026"
    for actor, waiting in (("approver_a", {team.pk}), ("province", {bloc.pk})):
        client.force_login(users[actor])
        page = client.get(url)
        assert page.status_code == 200
        assert {row.pk for row in page.context["rows"]} == waiting, actor
    team_rating = Evaluation.objects.get(unit=team)
    client.force_login(users["province"])
    client.post(
        reverse("evaluations:bulk_approve"),
        {"ids": [team_rating.pk], "year": "2026", "confirm": "1"},
    )
    assert Evaluation.objects.get(unit=team).stage == Stage.DECISION
    client.force_login(users["approver_a"])
    client.post(
        reverse("evaluations:bulk_approve"),
        {"ids": [team_rating.pk], "year": "2026", "confirm": "1"},
    )
    assert Evaluation.objects.get(unit=team).stage == Stage.DECIDED


def test_the_approver_role_is_bound_to_communes_and_reads_no_more(users):
    from accounts.choices import ROLE_AREA_LEVEL
    from units.choices import Level

    assert ROLE_AREA_LEVEL[APPROVER] == Level.COMMUNE
    held = users["approver_a"].get_group_permissions()
    assert {stages.PROPOSE, stages.DECIDE, stages.VIEW_RATINGS} <= held
    assert stages.SELF_ASSESS not in held
    assert not {p for p in held if p.startswith(("members.add", "members.change", "units.add"))}


def test_who_is_told_of_a_step_follows_the_chain(area_tree, users, team, team_criteria):
    """A team rating waiting for a decision: by default the district is told (the
    commune approver holds the permission but takes no step there); under the team
    chain, the commune approver."""
    from notifications.recipients import Directory

    officer = users["officer_a"]
    evaluation = evaluation_start(acting_user=officer, unit=team, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)

    def told():
        rating = Evaluation.objects.get(pk=evaluation.pk)
        directory = Directory.around(rating.area_path)
        found = directory.actors(
            rating.area_path, stages.DECIDE, allowed=lambda u: stages.can_take(u, rating)
        )
        return {u.username for u in found}

    assert told() == {"district"}
    _set_chain("team", area_tree["province"], users["admin"])
    assert told() == {"approver_a"}


def test_provincial_staff_create_a_commune_approver_on_a_commune(area_tree, users):
    """The account pages offer the role; it is bound to communes like a commune
    officer, never to a district or a province."""
    from accounts.forms import AccountCreateForm
    from accounts.services import account_create

    manager = users["province"]
    form = AccountCreateForm(acting_user=manager)
    assert APPROVER in dict(form.fields["role"].choices)
    user = account_create(
        acting_user=manager,
        username="capuy-xa",
        full_name="Hà Văn Duyệt",
        role=APPROVER,
        areas=[area_tree["commune"]],
    )
    assert user.staff_profile.role == APPROVER
    with pytest.raises(ValidationError):
        account_create(
            acting_user=manager,
            username="capuy-huyen",
            full_name="Hà Văn Sai",
            role=APPROVER,
            areas=[area_tree["district"]],
        )


def test_the_commune_approver_decides_a_teams_members_on_the_roster_form(
    client, area_tree, users, team
):
    """Under a chain giving the teams' decisions to the commune Party committee
    approver, the approver decides the members' levels on the roster's form (the form
    opens no rating for them: the self-assessment did), and only the role taking the
    self-assessment opens a member's rating."""
    _set_chain("team", area_tree["province"], users["admin"])
    first = membership_add(unit=team, full_name="Lò Thị Én", birth_year=1980)
    second = membership_add(unit=team, full_name="Vi Văn Sáu", birth_year=1975)
    url = reverse("evaluations:member_ratings", args=[team.pk, 2026])
    client.force_login(users["officer_a"])
    assert client.post(url, {f"level_{first.pk}": "2"}).status_code == 302
    assert MemberRating.objects.get().stage == Stage.DECISION

    client.force_login(users["approver_a"])
    assert f'name="level_{first.pk}"' in client.get(url).text
    assert f'name="level_{second.pk}"' not in client.get(url).text  # not self-assessed
    assert client.post(url, {f"level_{first.pk}": "2"}).status_code == 302
    assert MemberRating.objects.get().decided_level == 2
    # A forged level for the member nobody self-assessed opens nothing.
    client.post(url, {f"level_{second.pk}": "1"})
    assert not MemberRating.objects.filter(membership=second).exists()
    for actor in ("approver_a", "province"):
        with pytest.raises(PermissionDenied):
            member_rating_start(acting_user=users[actor], membership=second, year=2026)


def test_opening_a_units_rating_is_for_the_role_taking_its_self_assessment(
    client, area_tree, users, team, team_criteria
):
    """Opening a rating is the first act of its self-assessment: under a chain giving
    the teams' self-assessment to the commune officer, provincial staff (who hold the
    permission) are not offered "Bắt đầu tự đánh giá" and the service refuses them with
    the chain's message; the officer opens it."""
    _set_chain("team", area_tree["province"], users["admin"])
    url = reverse("evaluations:sheet", args=[team.pk, 2026])
    client.force_login(users["province"])
    assert "Bắt đầu tự đánh giá" not in client.get(url).text
    start = reverse("evaluations:start", args=[team.pk, 2026])
    assert client.post(start).status_code == 403
    with pytest.raises(PermissionDenied):
        evaluation_start(acting_user=users["province"], unit=team, year=2026)
    assert not Evaluation.objects.exists()
    client.force_login(users["officer_a"])
    assert "Bắt đầu tự đánh giá" in client.get(url).text
    assert client.post(start).status_code == 302
    assert Evaluation.objects.get().unit == team
