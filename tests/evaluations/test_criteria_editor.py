"""The criteria editor saved the way a browser sends it: the page's own fields, blank
rows included. Saving never stores empty items; a blank row still takes a new item."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from evaluations.models import CriterionItem

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser submits for the page's form: every text input, textarea and the
    selected option of every select (blank ones as "")."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio"):
            self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline that follows <textarea>.
            self.data[self._textarea] += data.removeprefix("\n")


def page_fields(client, url) -> dict:
    parser = FormFields()
    parser.feed(client.get(url).text)
    return parser.data


def items_of(criteria_set):
    return list(
        CriterionItem.objects.filter(group__criteria_set=criteria_set)
        .order_by("group__order", "order")
        .values_list("code", "text", "max_score")
    )


def test_saving_the_editor_as_shown_adds_no_blank_items(client, bloc_criteria, province_staff):
    client.force_login(province_staff)
    url = reverse("evaluations:criteria_update", args=[bloc_criteria.pk])
    before = items_of(bloc_criteria)
    for _round in range(3):
        data = page_fields(client, url)
        # The page offers blank rows for new items, beyond the stored ones.
        assert int(data["items-TOTAL_FORMS"]) > len(before)
        assert client.post(url, data).status_code == 302
        assert items_of(bloc_criteria) == before
    assert not CriterionItem.objects.filter(code="").exists()


def test_a_blank_row_takes_a_new_item(client, bloc_criteria, province_staff):
    client.force_login(province_staff)
    url = reverse("evaluations:criteria_update", args=[bloc_criteria.pk])
    before = items_of(bloc_criteria)
    data = page_fields(client, url)
    blank = len(before)
    assert data[f"items-{blank}-code"] == ""
    data.update(
        {
            f"items-{blank}-group": "2",
            f"items-{blank}-code": "2.3",
            f"items-{blank}-text": "Xây dựng mô hình dân vận khéo",
            f"items-{blank}-max_score": "5",
        }
    )
    assert client.post(url, data).status_code == 302
    after = items_of(bloc_criteria)
    assert len(after) == len(before) + 1
    assert ("2.3", "Xây dựng mô hình dân vận khéo") in [(c, t) for c, t, _m in after]
    # Saved again as shown: still one more item, no blank ones.
    assert client.post(url, page_fields(client, url)).status_code == 302
    assert items_of(bloc_criteria) == after
