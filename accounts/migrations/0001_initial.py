"""StaffProfile, its history and the history of user accounts move from units to the
accounts app: in the state only, their tables keep their names (``units_staffprofile``
...), and the database keeps every row. Their content types follow, so permissions and
the groups that hold them follow too ("units.manage_accounts" becomes
"accounts.manage_accounts"). tests/accounts/test_migration.py migrates a database of
the previous version and finds everything.
"""

import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
import portal.audit
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from accounts.migrations._content_types import move_content_types

MOVED = ("staffprofile", "historicalstaffprofile", "historicalstaffprofile_areas", "historicaluser")


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor.connection.alias, MOVED, "units", "accounts")


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor.connection.alias, MOVED, "accounts", "units")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("units", "0006_accounts_and_audit_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalStaffProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('door', models.CharField(choices=[('web', 'Trang cán bộ'), ('admin', 'Trang quản trị'), ('import', 'Nhập Excel'), ('command', 'Dòng lệnh'), ('system', 'Hệ thống')], default=portal.audit.current_door, max_length=8, verbose_name='kênh')),
                        ('batch_id', models.UUIDField(blank=True, db_index=True, default=portal.audit.current_batch_id, null=True, verbose_name='mã lượt nhập')),
                        ('role', models.CharField(choices=[('system_admin', 'Quản trị hệ thống'), ('province_staff', 'Cán bộ cấp tỉnh'), ('district_staff', 'Cán bộ cấp huyện'), ('commune_officer', 'Cán bộ cấp xã'), ('news_editor', 'Biên tập viên tin tức')], max_length=20, verbose_name='vai trò')),
                        ('position', models.CharField(blank=True, max_length=200, verbose_name='chức vụ')),
                        ('phone', models.CharField(blank=True, max_length=15, verbose_name='số điện thoại')),
                        ('must_change_password', models.BooleanField(default=False, verbose_name='phải đổi mật khẩu')),
                        ('history_change_reason', models.TextField(blank=True, null=True, verbose_name='lý do')),
                        ('history_id', models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                    ],
                    options={
                        'verbose_name': 'lịch sử hồ sơ cán bộ',
                        'verbose_name_plural': 'lịch sử hồ sơ cán bộ',
                        'db_table': 'units_historicalstaffprofile',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalUser',
                    fields=[
                        ('id', models.IntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('password', models.CharField(max_length=128, verbose_name='password')),
                        ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                        ('username', models.CharField(db_index=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                        ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                        ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                        ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                        ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                        ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                        ('door', models.CharField(choices=[('web', 'Trang cán bộ'), ('admin', 'Trang quản trị'), ('import', 'Nhập Excel'), ('command', 'Dòng lệnh'), ('system', 'Hệ thống')], default=portal.audit.current_door, max_length=8, verbose_name='kênh')),
                        ('batch_id', models.UUIDField(blank=True, db_index=True, default=portal.audit.current_batch_id, null=True, verbose_name='mã lượt nhập')),
                        ('history_change_reason', models.TextField(blank=True, null=True, verbose_name='lý do')),
                        ('history_id', models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'lịch sử user',
                        'verbose_name_plural': 'lịch sử users',
                        'db_table': 'units_historicaluser',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='StaffProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('system_admin', 'Quản trị hệ thống'), ('province_staff', 'Cán bộ cấp tỉnh'), ('district_staff', 'Cán bộ cấp huyện'), ('commune_officer', 'Cán bộ cấp xã'), ('news_editor', 'Biên tập viên tin tức')], max_length=20, verbose_name='vai trò')),
                        ('position', models.CharField(blank=True, max_length=200, verbose_name='chức vụ')),
                        ('phone', models.CharField(blank=True, max_length=15, verbose_name='số điện thoại')),
                        ('must_change_password', models.BooleanField(default=False, verbose_name='phải đổi mật khẩu')),
                        ('search_name', models.CharField(blank=True, default='', editable=False, max_length=400, verbose_name='tên không dấu')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                        ('areas', models.ManyToManyField(blank=True, related_name='staff_profiles', to='units.area', verbose_name='địa bàn phụ trách')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                    ],
                    options={
                        'verbose_name': 'hồ sơ cán bộ',
                        'verbose_name_plural': 'hồ sơ cán bộ',
                        'db_table': 'units_staffprofile',
                        'permissions': [('manage_accounts', 'Tạo, khóa tài khoản cán bộ trong địa bàn')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalStaffProfile_areas',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                        ('area', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.area')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='accounts.historicalstaffprofile')),
                        ('staffprofile', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.staffprofile')),
                    ],
                    options={
                        'verbose_name': 'HistoricalStaffProfile_areas',
                        'db_table': 'units_historicalstaffprofile_areas',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
    ]
