"""Django admin for criteria sets and ratings: scoped lists (two actors), writes only
through the services, ratings read-only, constant query counts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.models import CriteriaSet, Evaluation
from evaluations.services.criteria import ERROR_EMPTY_SET, ERROR_FROZEN
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from tests.evaluations.conftest import FULL
from tests.factories import UserFactory, make_staff
from units.services import team_create_for_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def rows(response):
    return list(response.context["cl"].result_list)


def management_data(response) -> dict:
    """The inline management forms of an admin change page, as its form posts them."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        for name, field in form.fields.items():
            data[form.add_prefix(name)] = form.initial.get(name, field.initial)
    return data


def test_criteria_sets_listed_for_their_province_only(
    client, area_tree, bloc_criteria, province_staff
):
    other = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="t2")
    url = reverse("admin:evaluations_criteriaset_changelist")
    client.force_login(province_staff)
    assert rows(client.get(url)) == [bloc_criteria]
    change = reverse("admin:evaluations_criteriaset_change", args=[bloc_criteria.pk])
    assert client.get(change).status_code == 200
    client.force_login(other)
    assert rows(client.get(url)) == []
    assert client.get(change).status_code == 302  # "does not exist", like a missing one


def test_the_contents_link_leads_where_the_user_may_go(
    client, bloc_criteria, province_staff, officer
):
    """The list's and the change page's link to a set's contents: the editor for the
    provincial staff who may change it, the read-only page for a commune officer, who
    reads the province's sets (the editor would answer 403)."""
    editor = reverse("evaluations:criteria_update", args=[bloc_criteria.pk])
    reader = reverse("evaluations:criteria_detail", args=[bloc_criteria.pk])
    pages = [
        reverse("admin:evaluations_criteriaset_changelist"),
        reverse("admin:evaluations_criteriaset_change", args=[bloc_criteria.pk]),
    ]
    for user, offered, withheld in [(province_staff, editor, reader), (officer, reader, editor)]:
        client.force_login(user)
        for page in pages:
            html = client.get(page).content.decode()
            assert f'href="{offered}"' in html, (user, page)
            assert f'href="{withheld}"' not in html, (user, page)
        assert client.get(offered).status_code == 200
    assert client.get(editor).status_code == 403


def test_create_a_set_through_the_service(client, area_tree, province_staff):
    """The admin's add form calls criteria_set_create: the default scale comes along."""
    client.force_login(province_staff)
    response = client.post(
        reverse("admin:evaluations_criteriaset_add"),
        {
            "province": area_tree["province"].pk,
            "year": "2027",
            "subject": "team",
            "title": "  Tiêu chí Tổ dân vận   2027 ",
            "quota_percent": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = CriteriaSet.objects.get()
    assert (created.title, created.created_by, created.levels.count()) == (
        "Tiêu chí Tổ dân vận 2027",
        province_staff,
        4,
    )


def test_a_used_set_is_frozen_in_the_admin_too(client, bloc, bloc_criteria, officer, root):
    evaluation_start(acting_user=officer, unit=bloc, year=2026)
    client.force_login(root)
    change = reverse("admin:evaluations_criteriaset_change", args=[bloc_criteria.pk])
    page = client.get(change)
    data = {**management_data(page), "title": "Đổi tên", "quota_percent": "30"}
    response = client.post(change, data)
    assert response.status_code == 200
    assert str(ERROR_FROZEN) in response.content.decode()
    bloc_criteria.refresh_from_db()
    assert bloc_criteria.title == "Tiêu chí đánh giá Khối dân vận năm 2026"


def test_actions_issue_copy_and_new_version(client, area_tree, bloc_criteria, province_staff):
    from evaluations.services.criteria import criteria_set_create

    empty = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="team",
        title="Chưa có tiêu chí",
    )
    client.force_login(province_staff)
    url = reverse("admin:evaluations_criteriaset_changelist")
    response = client.post(url, {"action": "issue", ACTION_CHECKBOX_NAME: [empty.pk]}, follow=True)
    assert str(ERROR_EMPTY_SET) in response.content.decode()
    client.post(url, {"action": "copy_to_next_year", ACTION_CHECKBOX_NAME: [bloc_criteria.pk]})
    client.post(url, {"action": "new_version", ACTION_CHECKBOX_NAME: [bloc_criteria.pk]})
    assert set(CriteriaSet.objects.values_list("year", "subject", "version")) == {
        (2026, "bloc", 1),
        (2026, "team", 1),
        (2027, "bloc", 1),
        (2026, "bloc", 2),
    }


def test_ratings_are_read_only_and_scoped(
    client, bloc, bloc_criteria, officer, sibling_officer, root
):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    change = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    client.force_login(officer)
    assert rows(client.get(reverse("admin:evaluations_evaluation_changelist"))) == [evaluation]
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="stage"' not in page.content.decode()  # shown, not editable
    assert client.get(reverse("admin:evaluations_evaluation_add")).status_code == 403
    client.force_login(sibling_officer)
    assert rows(client.get(reverse("admin:evaluations_evaluation_changelist"))) == []
    assert client.get(change).status_code == 302
    client.force_login(root)
    assert client.post(change, {"stage": "decided"}).status_code == 403
    assert Evaluation.objects.get().stage == "self"


def test_evaluation_change_list_reads_a_constant_number_of_queries(
    client, area_tree, bloc_criteria, officer, province_staff, root
):
    from evaluations.services.criteria import criteria_set_create, criteria_set_issue
    from tests.evaluations.conftest import GATES, GROUPS

    criteria_set_issue(
        acting_user=province_staff,
        criteria_set=criteria_set_create(
            acting_user=province_staff,
            province=area_tree["province"],
            year=2026,
            subject="team",
            title="Tổ",
            groups=GROUPS,
            gates=GATES,
        ),
    )

    def add(start, count):
        for n in range(start, start + count):
            team = team_create_for_village(commune=area_tree["commune"], village_name=f"Thôn {n}")
            evaluation = evaluation_start(acting_user=officer, unit=team, year=2026)
            evaluation_self_assess(
                acting_user=officer,
                evaluation=evaluation,
                scores=FULL,
                gates={"K1": False},
                submit=True,
            )
            evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)

    client.force_login(root)
    url = reverse("admin:evaluations_evaluation_changelist")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), len(rows(response))

    add(0, 3)
    few = count()
    add(3, 7)
    many = count()
    assert (few[1], many[1]) == (3, 10)
    assert few[0] == many[0]


def test_approval_chains_are_listed_read_only_for_the_provinces_of_the_area(
    client, area_tree, province_staff, officer
):
    """The admin lists the chains of the user's provinces only, names each step's role
    (or the missing proposal), links to the province's chain page where chains are set,
    and writes nothing; a commune officer, who does not set chains, is refused."""
    from evaluations.choices import Subject
    from evaluations.models import ApprovalChain
    from evaluations.services.chains import approval_chain_set

    other_staff = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="t2")
    for user, province in ((province_staff, "province"), (other_staff, "other_province")):
        approval_chain_set(
            acting_user=user,
            province=area_tree[province],
            kind=Subject.TEAM,
            self_role=StaffRole.COMMUNE_OFFICER,
            proposal_role="",
            decision_role=StaffRole.COMMUNE_APPROVER,
        )
    mine = ApprovalChain.objects.get(province=area_tree["province"])
    client.force_login(province_staff)
    url = reverse("admin:evaluations_approvalchain_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert rows(response) == [mine]
    page = response.content.decode()
    assert str(StaffRole.COMMUNE_APPROVER.label) in page
    assert "Không có bước đề xuất" in page
    assert reverse("evaluations:chains", args=[area_tree["province"].pk]) in page
    other = ApprovalChain.objects.get(province=area_tree["other_province"])
    change = reverse("admin:evaluations_approvalchain_change", args=[other.pk])
    assert client.get(change).status_code == 302  # not in the area: as missing
    mine_url = reverse("admin:evaluations_approvalchain_change", args=[mine.pk])
    assert client.get(mine_url).status_code == 200
    client.post(mine_url, {"decision_role": StaffRole.PROVINCE_STAFF})
    mine.refresh_from_db()
    assert mine.decision_role == StaffRole.COMMUNE_APPROVER
    assert client.get(reverse("admin:evaluations_approvalchain_add")).status_code == 403

    client.force_login(officer)
    assert client.get(url).status_code == 403
