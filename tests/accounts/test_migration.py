"""Moving accounts and audit out of units keeps every row, its history and its rights.

A database of the previous version (units 0005, members 0003, evaluations 0002, reports
0002, news 0001: StaffProfile, the account histories and ExportRecord in the units app)
is filled through that version's models, with a group holding the two permissions the
units app declared then; migrating it to the current version must find the same rows
through the current models, their history, and the same rights under the new names
(``accounts.manage_accounts``, ``audit.view_audit``). Runs on SQLite and PostgreSQL.
"""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import StaffProfile
from audit.models import ExportRecord
from units.models import Area

#: The previous version: the units app before the move; accounts and audit did not exist.
PREVIOUS = [
    ("units", "0005_staffprofile_must_change_password_search"),
    ("accounts", None),
    ("audit", None),
]
WHEN = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))
BATCH = uuid.UUID("2b0f4e1c-7a51-4c57-9a0e-5d3c8f1b6a22")


def _migrate(targets):
    """Migrate to ``targets``; the models of the state the database is then in."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    return loader.project_state(tuple(loader.applied_migrations)).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _fill_previous_version(apps) -> dict:
    """Two accounts, a profile bound to two areas, history rows of the area, the profile
    (with its areas) and the account, an export record, and rights through a group and
    directly, all written through the previous version's models."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Area = apps.get_model("units", "Area")
    StaffProfile = apps.get_model("units", "StaffProfile")
    ExportRecord = apps.get_model("units", "ExportRecord")
    HistoricalArea = apps.get_model("units", "HistoricalArea")
    HistoricalStaffProfile = apps.get_model("units", "HistoricalStaffProfile")
    HistoricalAreas = apps.get_model("units", "HistoricalStaffProfile_areas")
    HistoricalUser = apps.get_model("units", "HistoricalUser")

    province = Area.objects.create(
        edition="legacy", level="province", code="06", name="Tỉnh Bắc Kạn",
        short_name="Bắc Kạn", type_word="tỉnh", path="legacy/06/", search_name="tinh bac kan",
    )  # fmt: skip
    commune = Area.objects.create(
        edition="legacy", level="commune", code="01849", name="Xã Bằng Thành",
        short_name="Bằng Thành", type_word="xã", parent=province, path="legacy/06/01849/",
        search_name="xa bang thanh",
    )  # fmt: skip
    manager = User.objects.create(
        username="canbo_tinh", first_name="An", last_name="Nguyễn Văn",
        password=make_password("mat-khau-cu-1"), is_active=True,
    )  # fmt: skip
    auditor = User.objects.create(username="thanh_tra", password=make_password("mat-khau-2"))
    profile = StaffProfile.objects.create(
        user=manager, role="province_staff", position="Chuyên viên", phone="0912345678",
        must_change_password=True, search_name="nguyen van an canbo_tinh", created_by=None,
    )  # fmt: skip
    profile.areas.set([province, commune])

    HistoricalArea.objects.create(
        id=province.pk, edition="legacy", level="province", code="06", name="Tỉnh Bắc Kạn",
        short_name="Bắc Kạn", type_word="tỉnh", path="legacy/06/", history_date=WHEN,
        history_type="+", door="command", batch_id=None,
    )  # fmt: skip
    profile_row = HistoricalStaffProfile.objects.create(
        id=profile.pk, role="province_staff", position="Chuyên viên", phone="0912345678",
        must_change_password=True, user_id=manager.pk, history_date=WHEN, history_type="+",
        history_user=None, door="web", batch_id=BATCH, history_change_reason="Tạo tài khoản",
    )  # fmt: skip
    for binding in StaffProfile.areas.through.objects.filter(staffprofile=profile):
        HistoricalAreas.objects.create(
            id=binding.pk, history=profile_row, staffprofile_id=profile.pk, area_id=binding.area_id
        )
    HistoricalUser.objects.create(
        id=manager.pk, username="canbo_tinh", password="fp:0123456789abcdef", first_name="An",
        last_name="Nguyễn Văn", is_superuser=False, is_staff=False, is_active=True,
        date_joined=WHEN, history_date=WHEN, history_type="~", door="admin",
    )  # fmt: skip
    ExportRecord.objects.create(
        user=manager, username="canbo_tinh", created_at=WHEN, door="web", what="roster",
        fmt="xlsx", filters={"q": "Bằng Thành"}, rows=3,
    )  # fmt: skip

    # The previous version's permissions, on the units app's StaffProfile.
    def permission(codename):
        return Permission.objects.get(
            content_type__app_label="units", content_type__model="staffprofile", codename=codename
        )

    group = Group.objects.create(name="Nhóm cũ giữ quyền")
    group.permissions.set([permission("manage_accounts"), permission("view_audit")])
    manager.groups.add(group)
    auditor.user_permissions.add(permission("view_audit"))
    return {"profile": profile.pk, "manager": manager.pk, "auditor": auditor.pk}


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_and_a_previous_database_keeps_everything():
    """Migrating back to the previous version puts the content types and permissions
    back under units, the tables untouched; rows, history rows (units' and the
    accounts'), the export record and the rights of a group and of a user written there
    are all found after migrating forward again, under the new apps.

    One test for both directions: each migration of the whole project back and forth
    costs several seconds (docs/PERFORMANCE.md, "Test suite")."""
    try:
        old_apps = _migrate(PREVIOUS)
        content_type = old_apps.get_model("contenttypes", "ContentType")
        assert set(
            content_type.objects.filter(app_label="units").values_list("model", flat=True)
        ) >= {"staffprofile", "historicalstaffprofile", "historicaluser", "exportrecord"}
        assert not content_type.objects.filter(app_label__in=["accounts", "audit"]).exists()
        # The previous version's permissions are back where that version had them.
        old_permission = old_apps.get_model("auth", "Permission")
        assert set(
            old_permission.objects.filter(content_type__app_label="units").values_list(
                "codename", flat=True
            )
        ) >= {"manage_accounts", "view_audit", "view_staffprofile", "view_exportrecord"}
        ids = _fill_previous_version(old_apps)
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()

    profile = StaffProfile.objects.get(pk=ids["profile"])
    assert (profile.user.username, profile.role, profile.phone, profile.must_change_password) == (
        "canbo_tinh",
        "province_staff",
        "0912345678",
        True,
    )
    assert sorted(profile.areas.values_list("code", flat=True)) == ["01849", "06"]

    row = profile.history.get()
    assert (row.history_type, row.door, row.batch_id, row.history_change_reason) == (
        "+",
        "web",
        BATCH,
        "Tạo tài khoản",
    )
    assert sorted(a.area.code for a in row.areas.all()) == ["01849", "06"]
    manager = get_user_model().objects.get(pk=ids["manager"])
    account_row = manager.history.get()
    assert (account_row.history_type, account_row.door, account_row.password) == (
        "~",
        "admin",
        "fp:0123456789abcdef",
    )
    area = Area.objects.get(code="06", edition="legacy")
    assert area.history.get().door == "command"

    export = ExportRecord.objects.get()
    assert (export.user, export.rows, export.filters) == (manager, 3, {"q": "Bằng Thành"})

    # The rights, under the new names; nothing is left under the old app label.
    assert manager.has_perm("accounts.manage_accounts")
    assert manager.has_perm("audit.view_audit")
    auditor = get_user_model().objects.get(pk=ids["auditor"])
    assert auditor.has_perm("audit.view_audit")
    assert not auditor.has_perm("accounts.manage_accounts")
    group = Group.objects.get(name="Nhóm cũ giữ quyền")
    assert {
        (p.content_type.app_label, p.content_type.model, p.codename)
        for p in group.permissions.select_related("content_type")
    } == {
        ("accounts", "staffprofile", "manage_accounts"),
        ("audit", "exportrecord", "view_audit"),
    }
    assert not ContentType.objects.filter(
        app_label="units",
        model__in=["staffprofile", "historicalstaffprofile", "historicaluser", "exportrecord"],
    ).exists()
    assert Permission.objects.filter(codename="view_audit").count() == 1
