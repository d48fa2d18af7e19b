"""The village-name rule (units.services.VillageIndex): exact name ignoring case first;
a name typed without diacritics matches the only village with that folded name, and is
ambiguous when there are several; any other name is a new village."""

import pytest
from django.core.exceptions import ValidationError

from units.choices import Level
from units.models import Area
from units.services import (
    ERROR_VILLAGE_AMBIGUOUS,
    VillageAmbiguous,
    team_create_for_village,
    village_find,
    village_get_or_create,
    village_match,
)

pytestmark = pytest.mark.django_db


def villages_of(commune):
    return list(Area.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name"))


def test_exact_name_matches_ignoring_case_and_spacing(area_tree):
    commune = area_tree["commune"]
    na, _ = village_get_or_create(commune=commune, name="Thôn Na")
    found, created = village_get_or_create(commune=commune, name="  THÔN   NA ")
    assert (found, created) == (na, False)
    assert village_find(commune=commune, name="thôn na") == na


def test_decomposed_unicode_is_the_same_name(area_tree):
    commune = area_tree["commune"]
    na, _ = village_get_or_create(commune=commune, name="Thôn Nà")
    decomposed = "Tho\u0302n Na\u0300"
    assert village_get_or_create(commune=commune, name=decomposed) == (na, False)


def test_a_name_without_diacritics_matches_the_only_village_of_that_folded_name(area_tree):
    commune = area_tree["commune"]
    phin, _ = village_get_or_create(commune=commune, name="Bản Phìn")
    assert village_get_or_create(commune=commune, name="ban phin") == (phin, False)
    assert village_get_or_create(commune=commune, name="Ban Phin") == (phin, False)
    assert len(villages_of(commune)) == 2  # Tổ 1 and Bản Phìn


def test_a_name_with_other_diacritics_is_a_new_village(area_tree):
    commune = area_tree["commune"]
    na, _ = village_get_or_create(commune=commune, name="Thôn Na")
    na_grave, created = village_get_or_create(commune=commune, name="Thôn Nà")
    assert created and na_grave != na
    assert village_find(commune=commune, name="Thôn Nà") == na_grave
    assert village_find(commune=commune, name="Thôn Na") == na
    # "Thôn Ná" is a third name; "Thon Na" without any mark is now ambiguous.
    assert village_get_or_create(commune=commune, name="Thôn Ná")[1] is True


def test_a_name_without_diacritics_and_several_candidates_is_refused(area_tree):
    commune = area_tree["commune"]
    village_get_or_create(commune=commune, name="Thôn Na")
    village_get_or_create(commune=commune, name="Thôn Nà")
    with pytest.raises(ValidationError) as exc_info:
        village_get_or_create(commune=commune, name="thon na")
    assert exc_info.value.message_dict == {
        "name": [
            ERROR_VILLAGE_AMBIGUOUS.format(
                name="thon na",
                commune="Phường Nguyễn Thị Minh Khai",
                candidates="“Thôn Na”, “Thôn Nà”",
            )
        ]
    }
    assert "Hãy ghi tên có đủ dấu" in exc_info.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        team_create_for_village(commune=commune, village_name="Thon Na")
    assert len(villages_of(commune)) == 3
    found = village_find(commune=commune, name="THON NA")
    assert isinstance(found, VillageAmbiguous)
    assert [v.name for v in found.candidates] == ["Thôn Na", "Thôn Nà"]


def test_an_accentless_village_is_matched_exactly_before_its_accented_twins(area_tree):
    """A village stored without diacritics ("Thon Na") is the exact match of "thon na",
    even when "Thôn Na" exists too."""
    commune = area_tree["commune"]
    village_get_or_create(commune=commune, name="Thôn Na")
    plain, _ = village_get_or_create(commune=commune, name="Thôn Nà")
    assert village_find(commune=commune, name="Thôn nà") == plain
    bare = Area.objects.create(
        level=Level.VILLAGE, parent=commune, name="Thon Na", short_name="Thon Na",
        edition=commune.edition, type_word="thôn",
    )  # fmt: skip
    assert village_get_or_create(commune=commune, name="thon na") == (bare, False)


def test_village_match_works_on_unsaved_villages():
    na = Area(level=Level.VILLAGE, name="Thôn Na")
    na_grave = Area(level=Level.VILLAGE, name="Thôn Nà")
    assert village_match("thôn NÀ", [na, na_grave]) is na_grave
    assert village_match("Thôn Ná", [na, na_grave]) is None
    assert village_match("Thon Na", [na]) is na
    assert isinstance(village_match("Thon Na", [na, na_grave]), VillageAmbiguous)
    assert village_match("Đồng Tâm", [Area(name="Đông Tâm")]) is None
    assert village_match("Dong Tam", [Area(name="Đông Tâm")]).name == "Đông Tâm"


def test_the_team_form_shows_the_ambiguity_on_the_village_field(client, area_tree):
    from django.urls import reverse

    from tests.factories import make_staff
    from units.models import Unit

    commune = area_tree["commune"]
    village_get_or_create(commune=commune, name="Thôn Na")
    village_get_or_create(commune=commune, name="Thôn Nà")
    client.force_login(make_staff())
    url = reverse("members:team_create", args=[commune.pk])
    response = client.post(url, {"village_name": "Thon Na", "kind": "team"})
    assert response.status_code == 200
    errors = response.context["form"].errors["village_name"]
    assert errors == [
        ERROR_VILLAGE_AMBIGUOUS.format(
            name="Thon Na", commune=commune.name, candidates="“Thôn Na”, “Thôn Nà”"
        )
    ]
    assert not Unit.objects.exists()
    response = client.post(url, {"village_name": "Thôn Nà", "kind": "team"})
    assert response.status_code == 302
    assert Unit.objects.get().area.name == "Thôn Nà"
