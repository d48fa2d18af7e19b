import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from units.choices import Edition, Level
from units.models import Area, Succession
from units.services import ERROR_UNKNOWN_PROVINCE, divisions_load
from units.successions import official_links

pytestmark = pytest.mark.django_db


def _counts(edition):
    rows = Area.objects.filter(edition=edition).values("level").annotate(n=Count("pk"))
    return {row["level"]: row["n"] for row in rows}


def test_legacy_edition_has_the_official_counts_and_reloads_unchanged():
    """Legacy: 63 provinces, 696 districts, 10,040 communes, written in bulk (a bounded
    number of queries, not one per area); a second run changes nothing."""
    with CaptureQueriesContext(connection) as queries:
        first = divisions_load(edition=Edition.LEGACY)
    assert _counts(Edition.LEGACY) == {
        Level.PROVINCE: 63,
        Level.DISTRICT: 696,
        Level.COMMUNE: 10040,
    }
    assert sum(first.created.values()) == 63 + 696 + 10040
    # 342 today (batches of a few hundred rows); one query per area would be 10,799.
    assert len(queries) < 1000, len(queries)

    snapshot = dict(Area.objects.values_list("path", "updated_at"))
    second = divisions_load(edition=Edition.LEGACY)
    assert sum(second.created.values()) == 0
    assert sum(second.updated.values()) == 0
    assert sum(second.unchanged.values()) == 63 + 696 + 10040
    assert dict(Area.objects.values_list("path", "updated_at")) == snapshot


def test_both_editions_live_in_one_database_with_overlapping_codes():
    """2025: 34 provinces and 3,321 communes, next to the legacy edition; codes that exist
    in both editions name different areas."""
    divisions_load(edition=Edition.LEGACY)
    divisions_load(edition=Edition.V2025)
    assert _counts(Edition.V2025) == {Level.PROVINCE: 34, Level.COMMUNE: 3321}
    assert _counts(Edition.LEGACY)[Level.COMMUNE] == 10040

    overlapping = set(
        Area.objects.filter(edition=Edition.V2025).values_list("code", flat=True)
    ) & set(Area.objects.filter(edition=Edition.LEGACY).values_list("code", flat=True))
    assert overlapping, "the two editions share codes"
    # The 2025 edition has no district level: communes sit right under provinces.
    commune = Area.objects.filter(edition=Edition.V2025, level=Level.COMMUNE).first()
    assert commune.parent.level == Level.PROVINCE
    assert commune.valid_from == datetime.date(2025, 7, 1)
    legacy = Area.objects.get(edition=Edition.LEGACY, code="06")
    assert legacy.name == "Tỉnh Bắc Kạn"
    assert legacy.valid_until == datetime.date(2025, 6, 30)
    assert Area.objects.subtree(legacy).filter(level=Level.COMMUNE).count() == 108
    # The lineage came with the second edition: every legacy commune has a successor,
    # every 2025 commune a predecessor (tests/units/test_successions.py has the rest).
    assert Succession.objects.count() == len(official_links())
    communes = Area.objects.filter(level=Level.COMMUNE)
    assert not communes.filter(edition=Edition.LEGACY, successions_out__isnull=True).exists()
    assert not communes.filter(edition=Edition.V2025, successions_in__isnull=True).exists()


def test_names_are_normalised_from_the_package():
    """Type words are lower case and names read "Thành phố Bắc Kạn" (the package writes
    "Thành Phố")."""
    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    city = Area.objects.get(edition=Edition.LEGACY, code="058")
    assert (city.name, city.short_name, city.type_word) == (
        "Thành phố Bắc Kạn",
        "Bắc Kạn",
        "thành phố",
    )
    commune = Area.objects.get(edition=Edition.LEGACY, code="01834")
    assert commune.type_word == "phường"
    assert commune.parent == city


def test_island_districts_without_communes_get_a_commune_level_area():
    """Côn Đảo (legacy) had no communes: it gets one commune-level area of its own name,
    without a code, so its bloc has a place."""
    divisions_load(edition=Edition.LEGACY, provinces=["77"])
    district = Area.objects.get(edition=Edition.LEGACY, code="755")
    standin = Area.objects.get(parent=district)
    assert (standin.level, standin.code, standin.name) == (
        Level.COMMUNE,
        None,
        "Huyện Côn Đảo",
    )
    divisions_load(edition=Edition.LEGACY, provinces=["77"])
    assert Area.objects.filter(parent=district).count() == 1


def test_province_filter_loads_only_those_provinces():
    """--province limits the load; a later full load adds the rest without duplicates."""
    divisions_load(edition=Edition.V2025, provinces=["19", "1"])
    provinces = Area.objects.filter(level=Level.PROVINCE).values_list("code", flat=True)
    assert sorted(provinces) == ["01", "19"]
    divisions_load(edition=Edition.V2025)
    assert _counts(Edition.V2025) == {Level.PROVINCE: 34, Level.COMMUNE: 3321}


def test_a_renamed_area_is_updated_in_place():
    """A name changed by hand is put back to the official one, keeping the row."""
    divisions_load(edition=Edition.V2025, provinces=["19"])
    area = Area.objects.filter(edition=Edition.V2025, level=Level.COMMUNE).first()
    official = area.name
    Area.objects.filter(pk=area.pk).update(name="Tên sai", search_name="ten sai")
    result = divisions_load(edition=Edition.V2025, provinces=["19"])
    assert result.updated == {Level.PROVINCE: 0, Level.COMMUNE: 1}
    area.refresh_from_db()
    assert area.name == official
    assert area.search_name != "ten sai"


def test_unknown_province_is_refused_with_a_vietnamese_message():
    """A wrong code changes nothing and says which code is unknown."""
    with pytest.raises(ValueError, match="Không có tỉnh/thành phố mã 99") as excinfo:
        divisions_load(edition=Edition.V2025, provinces=["99"])
    assert str(excinfo.value) == ERROR_UNKNOWN_PROVINCE.format(codes="99", edition="2025")
    assert not Area.objects.exists()


def test_command_defaults_to_2025_and_reports_what_it_did(capsys):
    """load_divisions without --edition loads 2025; errors become CommandError."""
    call_command("load_divisions", "--province", "19")
    out = capsys.readouterr().out
    assert "edition=2025" in out
    assert "commune: created=92" in out
    assert Area.objects.filter(edition=Edition.V2025, level=Level.PROVINCE).count() == 1
    with pytest.raises(CommandError, match="Không có tỉnh/thành phố mã 98"):
        call_command("load_divisions", "--edition", "legacy", "--province", "98")


@pytest.mark.postgres
def test_a_load_that_writes_areas_has_the_statistics_log_folded_after_its_commit(
    settings, django_capture_on_commit_callbacks
):
    """The areas a load writes are logged for the statistics (reports.aggregates); once
    the load commits it enqueues one fold (``reports.tasks.stats_compact``), whatever the
    number of levels written, so that no reader pays for a nationwide load. A load that
    changes nothing enqueues nothing."""
    from django_tasks import default_task_backend

    from reports.models import StatLogArea
    from reports.tasks import stats_compact

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        divisions_load(edition=Edition.LEGACY, provinces=["06"])
    assert not default_task_backend.results  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [r.task.name for r in default_task_backend.results] == [stats_compact.name]
    assert StatLogArea.objects.exists()
    assert stats_compact.call() > 0
    assert not StatLogArea.objects.exists()

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        divisions_load(edition=Edition.LEGACY, provinces=["06"])
    assert not default_task_backend.results
