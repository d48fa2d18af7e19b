"""Who may do what to a rating at each stage: one table, stage × role.

The table below was taken from the behaviour of the services, the pages and the score
sheet import before the permission rules were gathered into one map
(``evaluations.stages``), and must stay as it is: gathering the rules moved them, it did
not change them.

Each line is one action; each character one stage, in the order self, proposal,
decision, decided, not rated. For a service or the import: ``+`` done, ``x`` refused for
the permission or the area (``PermissionDenied``, or the import's "no permission"),
``!`` refused for the rating's stage (``ValidationError``), ``0`` no criteria in the
user's provinces (the import only). For a page: ``-`` the page answers 403, ``1`` the
form or card is offered, ``0`` it is not.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations import stages
from evaluations.choices import Stage
from evaluations.models import CriterionItem, Evaluation, MemberRating
from evaluations.services.criteria import ERROR_NO_CRITERIA, criteria_set_copy, criteria_set_issue
from evaluations.services.evidence import evidence_add
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import (
    ERROR_LOCKED,
    ERROR_NO_PERMISSION,
    ERROR_WRONG_STAGE,
    rating_not_rated,
    rating_reopen,
    rating_return,
)
from evaluations.sheets.upload import score_sheet_import
from members.services import membership_add
from tests.evaluations.conftest import FULL
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
STAGES = (Stage.SELF, Stage.PROPOSAL, Stage.DECISION, Stage.DECIDED, Stage.NOT_RATED)
#: One year per stage, so that one bloc and one member have a rating at every stage.
YEARS = dict(zip(STAGES, (2022, 2023, 2024, 2025, 2026), strict=True))
ROLES = (
    StaffRole.COMMUNE_OFFICER,
    StaffRole.DISTRICT_STAFF,
    StaffRole.PROVINCE_STAFF,
    StaffRole.SYSTEM_ADMIN,
    StaffRole.NEWS_EDITOR,
)

# Columns: commune officer, district staff, provincial staff, system administrator,
# news editor.
# fmt: off
EXPECTED = {
    "start":                   ("+++++", "+++++", "+++++", "+++++", "xxxxx"),
    "self_assess":             ("+!!!!", "+!!!!", "+!!!!", "+!!!!", "xxxxx"),
    "propose":                 ("!+!!!", "!+!!!", "!+!!!", "!+!!!", "xxxxx"),
    "decide":                  ("xxxxx", "!!+!!", "!!+!!", "!!+!!", "xxxxx"),
    "evidence":                ("+!!!!", "+!!!!", "+!!!!", "+!!!!", "xxxxx"),
    "return":                  ("!+x!!", "!++!!", "!++!!", "!++!!", "!xx!!"),
    "not_rated":               ("xxxxx", "+++!!", "+++!!", "+++!!", "xxxxx"),
    "reopen":                  ("xxxxx", "xxxxx", "!!!++", "!!!++", "xxxxx"),
    "member_step":             ("++x!!", "+++!!", "+++!!", "+++!!", "xxx!!"),
    "member_return":           ("!+x!!", "!++!!", "!++!!", "!++!!", "!xx!!"),
    "member_not_rated":        ("xxxxx", "+++!!", "+++!!", "+++!!", "xxxxx"),
    "member_reopen":           ("xxxxx", "xxxxx", "!!!++", "!!!++", "xxxxx"),
    "import":                  ("++!!!", "++!!!", "++!!!", "++!!!", "00000"),
    "page_sheet_form":         ("10000", "10000", "10000", "10000", "-----"),
    "page_proposal_form":      ("01000", "01000", "01000", "01000", "-----"),
    "page_decision_form":      ("-----", "00100", "00100", "00100", "-----"),
    "page_decision_return":    ("-----", "00100", "00100", "00100", "-----"),
    "page_decision_not_rated": ("-----", "11100", "11100", "11100", "-----"),
    "page_decision_reopen":    ("-----", "00000", "00011", "00011", "-----"),
    "page_member_return":      ("01000", "01100", "01100", "01100", "-----"),
    "page_member_not_rated":   ("00000", "11100", "11100", "11100", "-----"),
    "page_member_reopen":      ("00000", "00000", "00011", "00011", "-----"),
    "page_roster_form":        ("11000", "11100", "11100", "11100", "-----"),
}
# fmt: on


class _Undo(Exception):
    """Rolls a tried action back."""


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


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(area_tree):
    areas = {
        StaffRole.COMMUNE_OFFICER: [area_tree["commune"]],
        StaffRole.DISTRICT_STAFF: [area_tree["district"]],
        StaffRole.PROVINCE_STAFF: [area_tree["province"]],
    }
    return {role: make_staff(role, areas.get(role, []), username=role) for role in ROLES}


@pytest.fixture
def ratings(bloc, bloc_criteria, users):
    """A rating of the bloc and of one of its members at every stage, moved there by a
    system administrator through the services."""
    admin = users[StaffRole.SYSTEM_ADMIN]
    for year in sorted(YEARS.values())[:-1]:
        copy = criteria_set_copy(acting_user=admin, source=bloc_criteria, year=year)
        criteria_set_issue(acting_user=admin, criteria_set=copy)
    membership = membership_add(unit=bloc, full_name="Lò Văn Pọm", birth_year=1970)
    units, members = {}, {}
    for stage, year in YEARS.items():
        evaluation = evaluation_start(acting_user=admin, unit=bloc, year=year)
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
            if stage != Stage.PROPOSAL:
                evaluation_propose(acting_user=admin, evaluation=evaluation, submit=True)
                member_rating_step(acting_user=admin, rating=member, level=2)
            if stage == Stage.DECIDED:
                evaluation_decide(acting_user=admin, evaluation=evaluation)
                member_rating_step(acting_user=admin, rating=member, level=2)
        units[stage], members[stage] = evaluation.pk, member.pk
    return units, members


def _services(user, evaluation_pk, member_pk) -> dict[str, str]:
    def unit():
        return Evaluation.objects.get(pk=evaluation_pk)

    def member():
        return MemberRating.objects.get(pk=member_pk)

    evaluation = unit()
    item = CriterionItem.objects.filter(group__criteria_set=evaluation.criteria_set).first()
    return {
        "start": _try(
            lambda: evaluation_start(acting_user=user, unit=evaluation.unit, year=evaluation.year)
        ),
        "self_assess": _try(
            lambda: evaluation_self_assess(
                acting_user=user, evaluation=unit(), scores=FULL, gates={"K1": False}
            )
        ),
        "propose": _try(lambda: evaluation_propose(acting_user=user, evaluation=unit())),
        "decide": _try(lambda: evaluation_decide(acting_user=user, evaluation=unit())),
        "evidence": _try(
            lambda: evidence_add(
                acting_user=user,
                evaluation=unit(),
                item=item,
                file=SimpleUploadedFile("bien-ban.png", PNG, "image/png"),
            )
        ),
        "return": _try(lambda: rating_return(acting_user=user, rating=unit(), comment="Xem lại")),
        "not_rated": _try(
            lambda: rating_not_rated(acting_user=user, rating=unit(), reason="Giải thể")
        ),
        "reopen": _try(lambda: rating_reopen(acting_user=user, rating=unit(), reason="Sai sót")),
        "member_step": _try(
            lambda: member_rating_step(acting_user=user, rating=member(), level=1, reason="Tốt")
        ),
        "member_return": _try(
            lambda: rating_return(acting_user=user, rating=member(), comment="Xem lại")
        ),
        "member_not_rated": _try(
            lambda: rating_not_rated(acting_user=user, rating=member(), reason="Nghỉ")
        ),
        "member_reopen": _try(
            lambda: rating_reopen(acting_user=user, rating=member(), reason="Sai sót")
        ),
    }


def _import(user, year) -> str:
    """A sheet that changes one score of the bloc (dry run)."""
    data = "Mã xã,1.1 (tối đa 10)\r\n01834,5\r\n".encode()
    result = score_sheet_import(
        data, filename="phieu.csv", user=user, year=year, subject="bloc", dry_run=True
    )
    if not result.errors:
        return "+" if result.changed == 1 else "?"
    message = result.errors[0].message
    if message == str(ERROR_NO_PERMISSION):
        return "x"
    if message == str(ERROR_LOCKED) or message.startswith(str(ERROR_WRONG_STAGE)[:20]):
        return "!"
    if message.startswith(str(ERROR_NO_CRITERIA)[:10]):
        return "0"
    return message


def _flag(response, offered) -> str:
    if response.status_code == 403:
        return "-"
    assert response.status_code == 200, response.status_code
    return "1" if offered(response) else "0"


def _pages(client, user, evaluation_pk, member_pk) -> dict[str, str]:
    evaluation = Evaluation.objects.get(pk=evaluation_pk)
    unit, year = evaluation.unit_id, evaluation.year
    client.force_login(user)

    def url(name, *args):
        return reverse(f"evaluations:{name}", args=args)

    sheet = client.get(url("sheet", unit, year))
    proposal = client.get(url("proposal", evaluation_pk))
    decision = client.get(url("decision", evaluation_pk))
    member = client.get(url("member_rating", member_pk))
    roster = client.get(url("member_ratings", unit, year))
    return {
        "page_sheet_form": _flag(sheet, lambda r: r.context["editable"]),
        "page_proposal_form": _flag(proposal, lambda r: r.context["form"] is not None),
        "page_decision_form": _flag(decision, lambda r: r.context["form"] is not None),
        "page_decision_return": _flag(decision, lambda r: url("return", evaluation_pk) in r.text),
        "page_decision_not_rated": _flag(
            decision, lambda r: url("not_rated", evaluation_pk) in r.text
        ),
        "page_decision_reopen": _flag(decision, lambda r: url("reopen", evaluation_pk) in r.text),
        "page_member_return": _flag(member, lambda r: url("member_return", member_pk) in r.text),
        "page_member_not_rated": _flag(
            member, lambda r: url("member_not_rated", member_pk) in r.text
        ),
        "page_member_reopen": _flag(member, lambda r: url("member_reopen", member_pk) in r.text),
        "page_roster_form": _flag(roster, lambda r: r.context["any_editable"]),
    }


def test_every_stage_and_role_gives_the_same_answers(client, users, ratings):
    units, members = ratings
    actual: dict[str, dict[str, str]] = {}
    for role, user in users.items():
        for stage in STAGES:
            answers = {
                **_services(user, units[stage], members[stage]),
                "import": _import(user, YEARS[stage]),
                **_pages(client, user, units[stage], members[stage]),
            }
            for action, answer in answers.items():
                lines = actual.setdefault(action, {})
                lines[role] = lines.get(role, "") + answer
    assert {action: tuple(lines[r] for r in ROLES) for action, lines in actual.items()} == EXPECTED


def test_the_map_offers_exactly_the_steps_the_services_take(users, ratings):
    """``evaluations.stages`` answers what the pages offer; for every role and stage its
    answer is the services' own: a step offered is taken, a step refused is not offered."""
    units, members = ratings
    for role, user in users.items():
        for stage in STAGES:
            done = _services(user, units[stage], members[stage])
            rating = MemberRating.objects.get(pk=members[stage])
            evaluation = Evaluation.objects.get(pk=units[stage])
            offered = {
                "member_step": stages.can_step(user, rating.stage),
                "member_return": stages.can_return(user, rating),
                "member_not_rated": stages.can_close(user, rating),
                "member_reopen": stages.can_reopen(user, rating),
                "return": stages.can_return(user, evaluation),
                "not_rated": stages.can_close(user, evaluation),
                "reopen": stages.can_reopen(user, evaluation),
                "self_assess": stages.can_type(user, evaluation, Stage.SELF),
                "propose": stages.can_type(user, evaluation, Stage.PROPOSAL),
                "decide": stages.can_type(user, evaluation, Stage.DECISION),
            }
            taken = {action: done[action] == "+" for action in offered}
            assert offered == taken, (role, stage)


def test_each_role_group_holds_the_permissions_of_the_map(users):
    """The roles' groups are granted from ``stages.ROLE_PERMISSIONS``: nothing more on
    ratings, nothing less (system administrators hold every permission)."""
    for role, user in users.items():
        if role == StaffRole.SYSTEM_ADMIN:
            continue
        held = {p for p in user.get_group_permissions() if p.startswith("evaluations.")}
        assert held == set(stages.ROLE_PERMISSIONS.get(role, ())), role
