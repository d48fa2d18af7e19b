"""ExportRecord moves from units to the audit app: in the state only, its table and index
keep their names (``units_exportrecord``), and the database keeps every row. Its content
type follows, and the "view the audit trail" permission moves onto it from StaffProfile,
with the groups that hold it ("units.view_audit" becomes "audit.view_audit").
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from accounts.migrations._content_types import move_codename, move_content_types


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    move_content_types(apps, db, ("exportrecord",), "units", "audit")
    move_codename(apps, db, "view_audit", ("accounts", "staffprofile"), ("audit", "exportrecord"))


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    move_codename(apps, db, "view_audit", ("audit", "exportrecord"), ("accounts", "staffprofile"))
    move_content_types(apps, db, ("exportrecord",), "audit", "units")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("units", "0006_accounts_and_audit_moved"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.CreateModel(
                    name='ExportRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('username', models.CharField(blank=True, max_length=150, verbose_name='tên đăng nhập')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm')),
                        ('door', models.CharField(choices=[('web', 'Trang cán bộ'), ('admin', 'Trang quản trị'), ('import', 'Nhập Excel'), ('command', 'Dòng lệnh'), ('system', 'Hệ thống')], max_length=8, verbose_name='kênh')),
                        ('what', models.CharField(choices=[('roster', 'Danh sách thành viên (theo bộ lọc)'), ('roster_selected', 'Danh sách thành viên (các dòng đã chọn)')], default='roster', max_length=40, verbose_name='dữ liệu')),
                        ('fmt', models.CharField(max_length=8, verbose_name='định dạng')),
                        ('filters', models.JSONField(blank=True, default=dict, verbose_name='bộ lọc')),
                        ('rows', models.PositiveIntegerField(verbose_name='số dòng')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xuất')),
                    ],
                    options={
                        'verbose_name': 'lượt xuất dữ liệu cá nhân',
                        'verbose_name_plural': 'lượt xuất dữ liệu cá nhân',
                        'db_table': 'units_exportrecord',
                        'ordering': ['-created_at', '-pk'],
                        'permissions': [('view_audit', 'Xem nhật ký thay đổi của địa bàn')],
                        'indexes': [models.Index(fields=['user', '-created_at'], name='units_exportrecord_user')],
                    },
                ),
            ],
        ),
    ]
