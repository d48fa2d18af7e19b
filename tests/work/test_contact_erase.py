"""A citizen asks that their name and phone be erased from an opinion: the service
(``opinion_contact_erase``: the reason in the history, the earlier history rows blanked,
the opinion's content kept, a closed opinion included) and its page (a confirmation,
then a POST; 404 outside the area; only for whoever may change opinions)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import StaffRole
from portal.data_request import REASON_SUBJECT_REQUEST
from tests.factories import make_staff
from tests.work.conftest import days_ago
from work import services_opinions as steps
from work.models import Opinion

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoà"
PHONE = "0912345678"


def _answered(unit, *, closed=False):
    opinion = steps.opinion_receive(
        unit=unit, received_on=days_ago(10), channel="in_person", topic="infrastructure",
        summary="Đường làng ngập nước", citizen_name=NAME, citizen_phone=PHONE,
    )  # fmt: skip
    steps.opinion_answer(
        opinion=opinion, answer="Đã nạo vét mương", answered_by="UBND xã",
        answered_on=days_ago(5),
    )  # fmt: skip
    if closed:
        steps.opinion_close(opinion=opinion, closed_on=days_ago(2))
    return opinion


def _url(opinion) -> str:
    return reverse("work:opinion_contact_erase", args=[opinion.pk])


def test_the_service_erases_the_contact_and_its_history_but_keeps_the_opinion(officer, team):
    opinion = _answered(team, closed=True)
    other = _answered(team)
    rows_before = opinion.history.count()
    assert (NAME, PHONE) in set(opinion.history.values_list("citizen_name", "citizen_phone"))

    steps.opinion_contact_erase(opinion=opinion, acting_user=officer)

    stored = Opinion.objects.get(pk=opinion.pk)
    assert (stored.citizen_name, stored.citizen_phone, stored.citizen_search_name) == ("", "", "")
    # What was said, the answer and the steps stay.
    assert (stored.summary, stored.answer, stored.status, stored.closed_on) == (
        "Đường làng ngập nước", "Đã nạo vét mương", "closed", days_ago(2),
    )  # fmt: skip
    last = stored.history.first()
    assert last.history_change_reason == REASON_SUBJECT_REQUEST
    assert last.history_user == officer
    assert stored.history.count() == rows_before + 1
    # The earlier rows stay (when, who, why) without the name or the phone.
    assert set(stored.history.values_list("citizen_name", "citizen_phone")) == {("", "")}
    assert set(stored.history.values_list("summary", flat=True)) == {"Đường làng ngập nước"}
    # Another opinion of the same citizen is not touched (one erasure, one opinion).
    assert Opinion.objects.get(pk=other.pk).citizen_phone == PHONE
    assert (NAME, PHONE) in set(other.history.values_list("citizen_name", "citizen_phone"))

    # Nothing left to erase: refused, nothing written.
    with pytest.raises(ValidationError):
        steps.opinion_contact_erase(opinion=stored, acting_user=officer)
    assert stored.history.count() == rows_before + 1


def test_the_service_refuses_outside_the_area(sibling_officer, team):
    opinion = _answered(team)
    with pytest.raises(PermissionDenied):
        steps.opinion_contact_erase(opinion=opinion, acting_user=sibling_officer)
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == PHONE


def test_the_page_confirms_then_erases_on_post(client, officer, team):
    opinion = _answered(team, closed=True)
    client.force_login(officer)
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert _url(opinion) in detail and "Xoá thông tin liên hệ theo yêu cầu" in detail

    page = client.get(_url(opinion))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="step-explain"' in html and "Không khôi phục lại được" in html
    assert 'class="stack-form"' in html and "Xoá họ tên, số điện thoại" in html
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == PHONE  # a GET writes nothing

    response = client.post(_url(opinion))
    assert response.status_code == 302 and response["Location"] == opinion.get_absolute_url()
    stored = Opinion.objects.get(pk=opinion.pk)
    assert (stored.citizen_name, stored.citizen_phone) == ("", "")
    assert stored.history.first().history_change_reason == REASON_SUBJECT_REQUEST
    # Now there is nothing to erase: the page says so and the detail has no link.
    again = client.get(_url(opinion)).content.decode()
    assert 'data-testid="step-notice"' in again and 'class="stack-form"' not in again
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert _url(opinion) not in detail
    refused = client.post(_url(opinion))
    assert refused.status_code == 200 and refused.context["form"].errors


def test_outside_the_area_the_page_is_a_404_and_nothing_changes(
    client, sibling_officer, other_province_staff, province_staff, team
):
    opinion = _answered(team)
    for user in (sibling_officer, other_province_staff):
        client.force_login(user)
        assert client.get(_url(opinion)).status_code == 404
        assert client.post(_url(opinion)).status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == PHONE
    client.force_login(province_staff)  # the province covers the commune
    assert client.post(_url(opinion)).status_code == 302
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == ""


def test_only_whoever_may_change_opinions(client, news_editor, area_tree, team):
    from django.contrib.auth.models import Permission

    opinion = _answered(team)
    reader = make_staff(StaffRole.COMMUNE_APPROVER, [area_tree["commune"]], username="chi-xem")
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="work", codename="view_opinion")
    )
    client.force_login(reader)
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk]))
    assert detail.status_code == 200 and _url(opinion) not in detail.content.decode()
    assert client.post(_url(opinion)).status_code == 403
    client.force_login(news_editor)
    assert client.post(_url(opinion)).status_code == 403
    assert client.post(_url(opinion), follow=False).status_code == 403
    client.logout()
    assert client.post(_url(opinion)).status_code == 302  # to the login page
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == PHONE
