"""django-import-export resources for rosters.

``RosterResource`` is the export layout (docs/ROSTER_IMPORT.md): one dehydrate method per
contract column, so the staff page, the admin and ``members.workbooks.roster_export`` write
the same columns. Imports do not go through a resource's ``import_data``: they go through
``members.imports`` (one engine, bulk writes, every row checked before anything is
written). ``BaselineMembershipResource`` (row by row) and ``BulkBaselineMembershipResource`` (the
library's bulk mode) exist only for bench/import_roster.py: the straightforward imports
that the engine is measured against.
"""

from django.db.models import Case, IntegerField, Value, When
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateWidget, ForeignKeyWidget

from members.choices import ROLE_LABELS, Role
from members.imports import (
    COL_BIRTH_YEAR,
    COL_CODE,
    COL_COMMUNE,
    COL_END,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_UNIT,
    COL_VILLAGE,
    GENDER_WORDS,
    KIND_WORDS,
    commune_code,
)
from members.models import Membership, Person
from members.services import person_create, person_find, province_of
from members.validation import (
    parse_birth_year,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_party_member,
    parse_phone,
    parse_role,
    parse_unit_kind,
)
from units.choices import Edition, Level, UnitKind
from units.models import Area, Unit
from units.services import unit_create, village_get_or_create

#: Heads first, then deputies, then members, as rosters are printed.
_ROLE_ORDER = Case(
    When(role=Role.HEAD, then=Value(0)),
    When(role=Role.DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def roster_queryset(memberships):
    """``memberships`` with everything the export reads joined in (a constant number of
    queries whatever the number of rows) and in roster order: by area (a commune's bloc
    before its villages' teams), head first, then by name."""
    return memberships.select_related("unit__area", "unit__commune", "person").order_by(
        "area_path", "unit_id", _ROLE_ORDER, "person__search_name", "start_date", "pk"
    )


class RosterResource(resources.ModelResource):
    """The contract layout, column by column. Values stay typed (dates are dates, the
    birth year a number, codes and phones text) so the xlsx writer can type the cells."""

    ma_xa = Field(column_name=COL_CODE)
    xa = Field(column_name=COL_COMMUNE)
    thon = Field(column_name=COL_VILLAGE)
    don_vi = Field(column_name=COL_UNIT)
    ho_va_ten = Field(column_name=COL_NAME)
    gioi_tinh = Field(column_name=COL_GENDER)
    nam_sinh = Field(column_name=COL_BIRTH_YEAR)
    dan_toc = Field(column_name=COL_ETHNICITY)
    dang_vien = Field(column_name=COL_PARTY)
    chuc_vu = Field(column_name=COL_POSITION)
    vai_tro = Field(column_name=COL_ROLE)
    so_dien_thoai = Field(column_name=COL_PHONE)
    ngay_tham_gia = Field(column_name=COL_START)
    ngay_thoi = Field(column_name=COL_END)

    class Meta:
        model = Membership
        fields = (
            "ma_xa", "xa", "thon", "don_vi", "ho_va_ten", "gioi_tinh", "nam_sinh", "dan_toc",
            "dang_vien", "chuc_vu", "vai_tro", "so_dien_thoai", "ngay_tham_gia", "ngay_thoi",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return roster_queryset(Membership.objects.all())

    def dehydrate_ma_xa(self, membership):
        return membership.unit.commune.code or ""

    def dehydrate_xa(self, membership):
        return membership.unit.commune.name

    def dehydrate_thon(self, membership):
        return membership.unit.area.name if membership.unit.is_team else ""

    def dehydrate_don_vi(self, membership):
        return KIND_WORDS[membership.unit.kind]

    def dehydrate_ho_va_ten(self, membership):
        return membership.person.full_name

    def dehydrate_gioi_tinh(self, membership):
        return GENDER_WORDS.get(membership.person.gender, "")

    def dehydrate_nam_sinh(self, membership):
        return membership.person.birth_year

    def dehydrate_dan_toc(self, membership):
        return membership.person.ethnicity

    def dehydrate_dang_vien(self, membership):
        return "Có" if membership.person.party_member else "Không"

    def dehydrate_chuc_vu(self, membership):
        return membership.person.position

    def dehydrate_vai_tro(self, membership):
        kind = "bloc" if membership.unit.kind == UnitKind.BLOC else "team"
        return ROLE_LABELS[kind][membership.role]

    def dehydrate_so_dien_thoai(self, membership):
        return membership.person.phone

    def dehydrate_ngay_tham_gia(self, membership):
        return membership.start_date

    def dehydrate_ngay_thoi(self, membership):
        return membership.end_date


class BaselineMembershipResource(resources.ModelResource):
    """The benchmark baseline only (bench/import_roster.py): what a developer writes
    first with django-import-export. Row by row with the library's defaults: each row
    finds its commune, village, unit and person with the ORM and the services, then the
    stock ``ForeignKeyWidget`` and instance loader look them up again. Never used by the
    portal: it checks nothing before writing and a bad row leaves a partial import.
    """

    unit = Field(attribute="unit", column_name="unit", widget=ForeignKeyWidget(Unit))
    person = Field(attribute="person", column_name="person", widget=ForeignKeyWidget(Person))
    role = Field(attribute="role", column_name="role")
    start_date = Field(attribute="start_date", column_name=COL_START, widget=DateWidget())

    #: Edition the commune codes are read in (the benchmark sets it).
    edition = Edition.V2025

    class Meta:
        model = Membership
        fields = ("unit", "person", "role", "start_date")
        import_id_fields = ("unit", "person")

    def before_import(self, dataset, **kwargs):
        """The workbook has no id columns: add empty ones that each row fills in."""
        for header in ("unit", "person", "role"):
            if header not in dataset.headers:
                dataset.append_col([None] * dataset.height, header=header)

    def before_import_row(self, row, **kwargs):
        commune = Area.objects.get(
            edition=self.edition, level=Level.COMMUNE, code=commune_code(row[COL_CODE])
        )
        kind = parse_unit_kind(row[COL_UNIT])
        if kind == UnitKind.BLOC:
            area = commune
        else:
            area, _created = village_get_or_create(commune=commune, name=row[COL_VILLAGE])
        start = parse_date(row.get(COL_START))
        # Founded on the seat's start date: a legacy commune no longer exists today.
        unit = Unit.objects.active().filter(area=area).first() or unit_create(
            kind=kind, area=area, decision_date=start
        )
        details = {
            "gender": parse_gender(row.get(COL_GENDER)),
            "ethnicity": parse_ethnicity(row.get(COL_ETHNICITY)),
            "party_member": parse_party_member(row.get(COL_PARTY)),
            "phone": parse_phone(row.get(COL_PHONE)),
            "position": row.get(COL_POSITION) or "",
        }
        birth_year = parse_birth_year(row.get(COL_BIRTH_YEAR))
        province = province_of(commune)
        person = person_find(
            province=province,
            full_name=row[COL_NAME],
            birth_year=birth_year,
            phone=details["phone"],
        ) or person_create(
            province=province, full_name=row[COL_NAME], birth_year=birth_year, **details
        )
        row["unit"] = unit.pk
        row["person"] = person.pk
        row["role"] = parse_role(row.get(COL_ROLE))


class BulkBaselineMembershipResource(BaselineMembershipResource):
    """The benchmark baseline in the library's bulk mode (``use_bulk``: the seats are
    collected and sent with ``bulk_create`` every ``batch_size`` rows; ``skip_diff``: no
    per-row diff of the instance before and after). Each row still finds or creates its
    commune, village, unit and person as above: the library has no way to look those up
    for a whole file at once. Bulk writes send no signal, so the seats get no history
    rows here (the engine writes them): the baseline does less work than the engine."""

    class Meta:
        model = Membership
        fields = ("unit", "person", "role", "start_date")
        import_id_fields = ("unit", "person")
        use_bulk = True
        skip_diff = True
        batch_size = 1000
