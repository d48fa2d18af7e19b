"""factory_boy factories for the whole suite."""

import itertools

import factory
from django.contrib.auth import get_user_model

from units.choices import Edition, Level
from units.models import Area

_TYPE_WORDS = {
    Level.PROVINCE: "tỉnh",
    Level.DISTRICT: "huyện",
    Level.COMMUNE: "xã",
    Level.VILLAGE: "thôn",
}


class AreaFactory(factory.django.DjangoModelFactory):
    """An area; pass ``parent`` for anything below a province. The edition follows the
    parent's."""

    class Meta:
        model = Area

    level = Level.PROVINCE
    parent = None
    edition = factory.LazyAttribute(lambda o: o.parent.edition if o.parent else Edition.LEGACY)
    code = None
    name = factory.Sequence(lambda n: f"Khu vực {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.split(" ", 1)[-1])
    type_word = factory.LazyAttribute(lambda o: _TYPE_WORDS[o.level])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("mat-khau-thu-nghiem-2026")


def free_province_code() -> str:
    """A two-digit legacy province code no area holds yet: a sequence would sooner or
    later hit a province a fixture made (a unique path), depending on the order tests
    ran in."""
    used = set(
        Area.objects.filter(edition=Edition.LEGACY, level=Level.PROVINCE).values_list(
            "code", flat=True
        )
    )
    return next(code for code in map(str, range(10, 100)) if code not in used)


class UnitFactory(factory.django.DjangoModelFactory):
    """A bloc at a commune by default; pass ``kind`` and a village ``area`` for a team."""

    class Meta:
        model = "units.Unit"

    kind = "bloc"
    area = factory.SubFactory(
        AreaFactory,
        level=Level.COMMUNE,
        code=factory.Sequence(lambda n: f"{90000 + n:05d}"),
        parent=factory.SubFactory(
            AreaFactory, level=Level.PROVINCE, code=factory.LazyFunction(free_province_code)
        ),
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.Person"

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    birth_year = 1980
    gender = "male"
    ethnicity = "Kinh"
    province = factory.SubFactory(
        AreaFactory, level=Level.PROVINCE, code=factory.LazyFunction(free_province_code)
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership; the person is recorded in the unit's province."""

    class Meta:
        model = "members.Membership"

    unit = factory.SubFactory(UnitFactory)
    person = factory.SubFactory(
        PersonFactory,
        province=factory.LazyAttribute(
            lambda o: o.factory_parent.unit.area.ancestors().first() or o.factory_parent.unit.area
        ),
    )
    role = "member"


_STAFF_NUMBERS = itertools.count(1)


def make_staff(role: str = "system_admin", areas=(), username: str | None = None, **fields):
    """A staff account with a role and areas, made the way account services make them
    (profile, group). The default is a system administrator, who sees everything."""
    from accounts.access import role_group
    from accounts.choices import StaffRole
    from accounts.models import StaffProfile

    user = UserFactory(
        username=username or f"{role}-{next(_STAFF_NUMBERS)}",
        is_staff=True,
        is_superuser=role == StaffRole.SYSTEM_ADMIN,
        **fields,
    )
    profile = StaffProfile.objects.create(user=user, role=role)
    profile.areas.set(areas)
    user.groups.add(role_group(role))
    return user


#: The ``area_tree`` of tests/conftest.py: (key, level, code, name, parent key).
AREA_TREE = (
    ("province", Level.PROVINCE, "06", "Tỉnh Bắc Kạn", None),
    ("other_province", Level.PROVINCE, "11", "Tỉnh Điện Biên", None),
    ("district", Level.DISTRICT, "058", "Thành phố Bắc Kạn", "province"),
    ("sibling_district", Level.DISTRICT, "061", "Huyện Pác Nặm", "province"),
    ("far_district", Level.DISTRICT, "103", "Huyện Nậm Pồ", "other_province"),
    ("commune", Level.COMMUNE, "01834", "Phường Nguyễn Thị Minh Khai", "district"),
    ("sibling_commune", Level.COMMUNE, "01837", "Phường Sông Cầu", "district"),
    ("commune_b", Level.COMMUNE, "01849", "Xã Bằng Thành", "sibling_district"),
    ("far_commune", Level.COMMUNE, "03160", "Xã Nà Hỳ", "far_district"),
)


def area_tree_build() -> dict:
    """A small legacy tree: two provinces, two districts in the first, communes and
    village "Tổ 1" in the first commune (the ``area_tree`` fixture of tests/conftest.py)."""
    tree = {"edition": Edition.LEGACY}
    for key, level, code, name, parent in AREA_TREE:
        tree[key] = AreaFactory(level=level, code=code, name=name, parent=tree.get(parent))
    tree["village"] = AreaFactory(
        level=Level.VILLAGE, name="Tổ 1", type_word="tổ", parent=tree["commune"]
    )
    return tree


def published_document(editor, number: str = "1-HD/DVTU"):
    """A published guidance document, made through the documents' services."""
    import datetime

    from documents.services import document_create

    return document_create(
        acting_user=editor,
        number=number,
        title="Về công tác dân vận",
        is_published=True,
        doc_type="guidance",
        issuer="Ban Dân vận Tỉnh ủy",
        issued_on=datetime.date(2024, 3, 5),
    )
