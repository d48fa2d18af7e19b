"""A citizen asks that their name and phone be erased from an opinion: the service
(``opinion_contact_erase``: the reason in the history, the earlier history rows blanked,
the opinion's content kept, a closed opinion included) and its page (a confirmation,
then a POST; 404 outside the area; only for whoever may change opinions). Or that they
be corrected (``opinion_contact_correct``: the phone read as on receipt, the search name
in step, the reason in the history, a closed opinion included)."""

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


@pytest.mark.parametrize(
    "write",
    [
        steps.opinion_contact_erase,
        lambda **kw: steps.opinion_contact_correct(
            citizen_name="Lê Văn Tám", citizen_phone="", **kw
        ),
    ],
    ids=["erase", "correct"],
)
def test_the_services_refuse_outside_the_area(sibling_officer, team, write):
    opinion = _answered(team)
    with pytest.raises(PermissionDenied):
        write(opinion=opinion, acting_user=sibling_officer)
    stored = Opinion.objects.get(pk=opinion.pk)
    assert (stored.citizen_name, stored.citizen_phone) == (NAME, PHONE)


def _step_page(client, user, opinion, url: str, label: str) -> str:
    """The opinion's page links to the step ``url`` (``label``), whose page explains
    itself above its form; the step page's HTML."""
    client.force_login(user)
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert url in detail and label in detail
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="step-explain"' in html and 'class="stack-form"' in html
    return html


def test_the_page_confirms_then_erases_on_post(client, officer, team):
    opinion = _answered(team, closed=True)
    html = _step_page(client, officer, opinion, _url(opinion), "Xoá thông tin liên hệ theo yêu cầu")
    assert "Không khôi phục lại được" in html
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


# --- A correction on the citizen's request ------------------------------------------------


def _correct_url(opinion) -> str:
    return reverse("work:opinion_contact_correct", args=[opinion.pk])


def test_the_service_corrects_a_closed_opinion_with_the_request_as_reason(officer, team):
    opinion = _answered(team, closed=True)
    rows_before = opinion.history.count()

    steps.opinion_contact_correct(
        opinion=opinion, citizen_name="  Nguyễn Thị  Hoà Bình ", citizen_phone="+84 913.222.333",
        acting_user=officer,
    )  # fmt: skip

    stored = Opinion.objects.get(pk=opinion.pk)
    # Read as the receipt form reads them: spaces tidied, the phone as stored.
    assert (stored.citizen_name, stored.citizen_phone) == ("Nguyễn Thị Hoà Bình", "0913222333")
    assert stored.citizen_search_name == "nguyen thi hoa binh"
    assert (stored.status, stored.closed_on, stored.answer) == (
        "closed", days_ago(2), "Đã nạo vét mương",
    )  # fmt: skip
    last = stored.history.first()
    assert (last.history_change_reason, last.history_user) == (REASON_SUBJECT_REQUEST, officer)
    assert stored.history.count() == rows_before + 1
    # A correction is a change like any other: the earlier rows keep what was there.
    assert (NAME, PHONE) in set(stored.history.values_list("citizen_name", "citizen_phone"))

    # The phone alone removed, the name kept: allowed.
    steps.opinion_contact_correct(
        opinion=stored, citizen_name=stored.citizen_name, citizen_phone="", acting_user=officer
    )
    assert Opinion.objects.get(pk=opinion.pk).citizen_phone == ""


@pytest.mark.parametrize(
    ("name", "phone", "field"),
    [
        (NAME, "12345", "citizen_phone"),  # not a phone number
        ("", "", None),  # both empty: that is an erasure
        (NAME, "0912 345 678", None),  # nothing changes
    ],
)
def test_the_service_refuses_and_writes_nothing(officer, team, name, phone, field):
    opinion = _answered(team)
    rows_before = opinion.history.count()
    with pytest.raises(ValidationError) as refused:
        steps.opinion_contact_correct(
            opinion=opinion, citizen_name=name, citizen_phone=phone, acting_user=officer
        )
    if field:
        assert field in refused.value.message_dict
    stored = Opinion.objects.get(pk=opinion.pk)
    assert (stored.citizen_name, stored.citizen_phone) == (NAME, PHONE)
    assert stored.history.count() == rows_before


def test_the_correction_page_on_a_closed_opinion(client, officer, team):
    opinion = _answered(team, closed=True)
    url, label = _correct_url(opinion), "Sửa thông tin liên hệ theo yêu cầu"
    html = _step_page(client, officer, opinion, url, label)
    assert f'value="{PHONE}"' in html and f'value="{NAME}"' in html  # what is there now

    refused = client.post(_correct_url(opinion), {"citizen_name": NAME, "citizen_phone": "12"})
    assert refused.status_code == 200 and "citizen_phone" in refused.context["form"].errors
    response = client.post(
        _correct_url(opinion), {"citizen_name": NAME, "citizen_phone": "0913 222 333"}
    )
    assert response.status_code == 302 and response["Location"] == opinion.get_absolute_url()
    stored = Opinion.objects.get(pk=opinion.pk)
    assert stored.citizen_phone == "0913222333"
    assert stored.history.first().history_change_reason == REASON_SUBJECT_REQUEST
    # An opinion whose contact was erased can still be given one on request.
    steps.opinion_contact_erase(opinion=stored, acting_user=officer)
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert _correct_url(opinion) in detail and _url(opinion) not in detail


def test_the_correction_page_scope_and_permission(
    client, sibling_officer, news_editor, area_tree, team
):
    from django.contrib.auth.models import Permission

    opinion = _answered(team)
    data = {"citizen_name": "Lê Văn Tám", "citizen_phone": ""}
    client.force_login(sibling_officer)
    assert client.get(_correct_url(opinion)).status_code == 404
    assert client.post(_correct_url(opinion), data).status_code == 404
    reader = make_staff(StaffRole.COMMUNE_APPROVER, [area_tree["commune"]], username="chi-xem")
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="work", codename="view_opinion")
    )
    client.force_login(reader)
    detail = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert _correct_url(opinion) not in detail
    assert client.post(_correct_url(opinion), data).status_code == 403
    client.force_login(news_editor)
    assert client.post(_correct_url(opinion), data).status_code == 403
    assert Opinion.objects.get(pk=opinion.pk).citizen_name == NAME
