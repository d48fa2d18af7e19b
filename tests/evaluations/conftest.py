import pytest

from accounts.choices import StaffRole
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from tests.factories import make_staff

#: A small criteria set in the shape of Quy định 366: common group 30, tasks group 70.
GROUPS = [
    {
        "code": "1",
        "title": "Tiêu chí chung",
        "items": [
            {"code": "1.1", "text": "Có quyết định thành lập, quy chế hoạt động", "max_score": 10},
            {"code": "1.2", "text": "Họp định kỳ, có biên bản", "max_score": 20},
        ],
    },
    {
        "code": "2",
        "title": "Kết quả thực hiện nhiệm vụ",
        "items": [
            {"code": "2.1", "text": "Nắm tình hình, phản ánh ý kiến nhân dân", "max_score": 40},
            {"code": "2.2", "text": "Vận động nhân dân thực hiện nhiệm vụ", "max_score": 30},
        ],
    },
]
GATES = [{"code": "K1", "question": "Để xảy ra điểm nóng", "cap_level": 3}]
FULL = {"1.1": 10, "1.2": 20, "2.1": 40, "2.2": 30}


@pytest.fixture
def province_staff(area_tree):
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh")


@pytest.fixture
def officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="xa")


@pytest.fixture
def sibling_officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["sibling_commune"]], username="xa2")


@pytest.fixture
def bloc_criteria(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="bloc",
        title="Tiêu chí đánh giá Khối dân vận năm 2026",
        groups=GROUPS,
        gates=GATES,
        quota_percent=20,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


@pytest.fixture
def team_criteria(area_tree, province_staff):
    """The team criteria of 2026, issued (some modules keep their own with another title)."""
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="team",
        title="Tiêu chí Tổ dân vận 2026",
        groups=GROUPS,
        gates=GATES,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)
