"""Made-up activities and citizens' opinions for the demo data (``generate_demo``).

Every demo unit gets a year of work up to today: propaganda sessions, meetings, home
visits, mediations, campaign work-days; and opinions received by phone, Zalo, in person
or at residents' meetings, most forwarded and answered within the province's days,
some still waiting past their due date (overdue), a few flagged as hot spots (some
resolved). Everything is invented, deterministic for a seed, and written in bulk with
its audit rows (door "command", the demo's reason). A unit that already has any
activity or opinion is left alone, so a second run adds nothing.
"""

import dataclasses
import datetime
import random

from django.db import transaction

from members.demo.names import MOBILE_PREFIXES, person_name
from members.demo.regions import province_profile
from members.demo.rosters import DEMO_REASON
from members.demo.weighted import Weighted
from portal import audit
from portal.paths import province_path
from portal.text import fold
from units.choices import TEAM_KINDS
from units.models import Area, Unit
from units.signals import data_changed
from work.choices import DEFAULT_OVERDUE_DAYS, ActivityKind, OpinionStatus, Severity
from work.models import Activity, Opinion, ProvinceWorkSettings

BATCH = 2000
WINDOW_DAYS = 365

#: Activities and opinions per unit and year: (low, high) by scale and kind of unit.
DENSITY = {
    "full": {"bloc": ((6, 12), (1, 3)), "team": ((3, 8), (0, 3))},
    "national": {"bloc": ((2, 4), (0, 2)), "team": ((1, 2), (0, 1))},
}

KINDS = Weighted(
    {
        ActivityKind.PROPAGANDA: 35,
        ActivityKind.MEETING: 20,
        ActivityKind.HOME_VISIT: 20,
        ActivityKind.MEDIATION: 8,
        ActivityKind.WORK_DAYS: 12,
        ActivityKind.OTHER: 5,
    }
)
#: People reached by kind: (low, high).
REACHED = {
    ActivityKind.PROPAGANDA: (30, 160),
    ActivityKind.MEETING: (20, 90),
    ActivityKind.HOME_VISIT: (3, 18),
    ActivityKind.MEDIATION: (2, 10),
    ActivityKind.WORK_DAYS: (20, 120),
    ActivityKind.OTHER: (10, 60),
}
DESCRIPTIONS = {
    ActivityKind.PROPAGANDA: (
        "Tuyên truyền Luật Đất đai năm 2024 tại {place}",
        "Tuyên truyền phòng cháy, chữa cháy rừng mùa khô",
        "Tuyên truyền phòng, chống lừa đảo qua mạng cho người cao tuổi",
        "Vận động tham gia bảo hiểm y tế, bảo hiểm xã hội tự nguyện",
        "Tuyên truyền phòng, chống ma túy trong thanh thiếu niên",
        "Phổ biến chính sách sau sắp xếp đơn vị hành chính",
        "Tuyên truyền phân loại rác thải tại nguồn",
    ),
    ActivityKind.MEETING: (
        "Họp dân bàn kế hoạch bê tông hóa đường thôn",
        "Đối thoại với nhân dân về phương án giải phóng mặt bằng",
        "Gặp gỡ người có uy tín trong cộng đồng",
        "Họp dân lấy ý kiến sửa đổi hương ước, quy ước",
        "Đối thoại về chính sách hỗ trợ hộ nghèo, hộ cận nghèo",
    ),
    ActivityKind.HOME_VISIT: (
        "Thăm hỏi, tặng quà gia đình chính sách",
        "Đến từng hộ vận động đưa trẻ đi tiêm chủng",
        "Vận động hộ gia đình hiến đất mở rộng đường",
        "Thăm hộ có người ốm đau, hoàn cảnh khó khăn",
        "Vận động học sinh bỏ học trở lại lớp",
    ),
    ActivityKind.MEDIATION: (
        "Hòa giải tranh chấp ranh giới đất giữa hai hộ",
        "Hòa giải mâu thuẫn trong gia đình",
        "Hòa giải tranh chấp lối đi chung",
        "Hòa giải mâu thuẫn về nước tưới",
    ),
    ActivityKind.WORK_DAYS: (
        "Ra quân làm đường giao thông nông thôn",
        "Vệ sinh môi trường, khơi thông cống rãnh",
        "Giúp dân thu hoạch lúa vụ mùa",
        "Phát quang đường làng, trồng cây xanh",
        "Giúp hộ nghèo dựng nhà",
    ),
    ActivityKind.OTHER: (
        "Tham gia Ngày hội Đại đoàn kết toàn dân tộc",
        "Tổ chức văn nghệ mừng Đảng, mừng Xuân",
        "Tham gia diễn tập phòng, chống thiên tai",
    ),
}
CHANNELS = Weighted({"phone": 30, "in_person": 30, "meeting": 20, "zalo": 15, "other": 5})
TOPICS = Weighted(
    {"land": 28, "infrastructure": 24, "policy": 20, "environment": 14, "security": 9, "other": 5}
)
SUMMARIES = {
    "land": (
        "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình",
        "Phản ánh tranh chấp ranh giới đất với hộ liền kề",
        "Kiến nghị công khai phương án bồi thường giải phóng mặt bằng",
        "Đề nghị đo đạc lại diện tích đất sau dồn điền đổi thửa",
    ),
    "environment": (
        "Phản ánh trại chăn nuôi gây ô nhiễm mùi",
        "Phản ánh rác thải tồn đọng ven đường liên thôn",
        "Kiến nghị nạo vét kênh mương bị bồi lấp",
        "Phản ánh khai thác cát trái phép trên sông",
    ),
    "policy": (
        "Hỏi về chế độ hỗ trợ người có công",
        "Đề nghị xem xét lại kết quả bình xét hộ cận nghèo",
        "Kiến nghị chi trả trợ cấp người cao tuổi đúng hạn",
        "Hỏi về bảo hiểm y tế cho người dân tộc thiểu số",
    ),
    "security": (
        "Phản ánh trộm cắp vặt về đêm",
        "Phản ánh thanh niên tụ tập đua xe",
        "Phản ánh người lạ vận động tham gia tổ chức trái phép",
        "Đề nghị lắp camera an ninh ở ngã ba",
    ),
    "infrastructure": (
        "Đề nghị sửa đoạn đường bị sạt lở",
        "Kiến nghị lắp đèn chiếu sáng đường thôn",
        "Phản ánh điện yếu vào giờ cao điểm",
        "Đề nghị sửa nhà văn hóa thôn bị dột",
    ),
    "other": (
        "Đề nghị mở lớp dạy nghề cho thanh niên",
        "Hỏi thủ tục đăng ký khai sinh sau sắp xếp xã",
        "Đề nghị tăng buổi tiếp công dân tại xã",
    ),
}
FORWARDED_TO = ("Đảng ủy xã", "UBND xã", "Ủy ban MTTQ Việt Nam xã", "Công an xã")
ANSWERED_BY = (
    "Chủ tịch UBND xã",
    "Phó Chủ tịch UBND xã",
    "Công chức địa chính - xây dựng xã",
    "Trưởng Công an xã",
    "Bí thư Đảng ủy xã",
)
ANSWERS = (
    "Đã kiểm tra thực tế, giao bộ phận chuyên môn giải quyết trong tháng.",
    "Đã giải thích chính sách; hồ sơ của hộ đủ điều kiện, đang trình cấp trên.",
    "Đã bố trí kinh phí, sẽ thi công trong quý tới.",
    "Đã làm việc với các bên, thống nhất phương án xử lý.",
    "Vụ việc vượt thẩm quyền của xã, đã chuyển cơ quan có thẩm quyền và hướng dẫn người dân.",
)
RETURNED_HOW = ("Gặp trực tiếp", "Gọi điện thoại", "Thông báo tại cuộc họp thôn", "Nhắn qua Zalo")
HOT_SPOT_NOTES = (
    "Nhiều hộ cùng kiến nghị, có nguy cơ khiếu kiện đông người",
    "Mâu thuẫn kéo dài giữa hai dòng họ",
    "Người dân tụ tập phản đối tại công trường",
)
SEVERITIES = Weighted({Severity.LOW: 45, Severity.MEDIUM: 40, Severity.HIGH: 15})


@dataclasses.dataclass
class WorkCounts:
    activities: int = 0
    opinions: int = 0
    overdue: int = 0
    hot_spots: int = 0


def _day_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _window(unit: Unit, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The last year of the unit's life up to today: a legacy unit's ends on
    30/06/2025 (its area's last day) or the day before it was dissolved."""
    end = today
    if unit.area.valid_until and unit.area.valid_until < end:
        end = unit.area.valid_until
    if unit.dissolved_on:
        end = min(end, unit.dissolved_on - datetime.timedelta(days=1))
    start = end - datetime.timedelta(days=WINDOW_DAYS)
    for bound in (unit.area.valid_from, unit.decision_date):
        if bound and bound > start:
            start = bound
    return (start, end) if start <= end else None


def _activity(rng, unit: Unit, start, end, commune_name: str) -> Activity:
    kind = KINDS.pick(rng)
    is_team = unit.kind in TEAM_KINDS
    participants = rng.randint(4, 10) if is_team else rng.randint(5, 13)
    place = unit.area.name if is_team else rng.choice((commune_name, f"Hội trường {commune_name}"))
    low, high = REACHED[kind]
    activity = Activity(
        unit=unit,
        kind=kind,
        date=_day_between(rng, start, end),
        place=place,
        participants=participants,
        people_reached=rng.randint(low, high),
        work_days=participants * rng.randint(1, 4) if kind == ActivityKind.WORK_DAYS else None,
        description=rng.choice(DESCRIPTIONS[kind]).format(place=place),
    )
    activity.area_path = unit.area_path
    return activity


def _opinion(rng, unit: Unit, start, end, days: int, today, profile) -> Opinion:
    topic = TOPICS.pick(rng)
    received = _day_between(rng, start, end)
    opinion = Opinion(
        unit=unit,
        area_path=unit.area_path,
        received_on=received,
        channel=CHANNELS.pick(rng),
        topic=topic,
        summary=rng.choice(SUMMARIES[topic]),
        due_on=received + datetime.timedelta(days=days),
    )
    if rng.random() < 0.7:
        gender = rng.choice(("male", "female"))
        opinion.citizen_name = person_name(
            rng,
            ethnicity=profile.ethnicities.pick(rng),
            gender=gender,
            born=rng.randint(1950, 2000),
            south=profile.south,
        )
        opinion.citizen_search_name = fold(opinion.citizen_name)
        if rng.random() < 0.7:
            opinion.citizen_phone = f"{MOBILE_PREFIXES.pick(rng)}{rng.randrange(10_000_000):07d}"
    age = (today - received).days
    # Most are answered within the province's days; a share of the older ones is still
    # waiting past its due date (the overdue queue).
    answered = rng.random() < (0.82 if age > days else 0.45)
    if rng.random() < 0.6:
        opinion.forwarded_to = rng.choice(FORWARDED_TO)
        opinion.forwarded_on = min(received + datetime.timedelta(days=rng.randint(0, 3)), end)
        opinion.status = OpinionStatus.FORWARDED
    if answered:
        after = opinion.forwarded_on or received
        latest = min(received + datetime.timedelta(days=days + 5), end)
        opinion.answered_on = _day_between(rng, after, max(after, latest))
        opinion.answer = rng.choice(ANSWERS)
        opinion.answered_by = rng.choice(ANSWERED_BY)
        opinion.status = OpinionStatus.ANSWERED
        if rng.random() < 0.7:
            opinion.returned_on = _day_between(rng, opinion.answered_on, end)
            opinion.returned_how = rng.choice(RETURNED_HOW)
            opinion.status = OpinionStatus.RETURNED
        if rng.random() < 0.6:
            opinion.closed_on = _day_between(rng, opinion.returned_on or opinion.answered_on, end)
            opinion.status = OpinionStatus.CLOSED
    if rng.random() < (0.08 if topic in ("land", "security") else 0.02):
        opinion.hot_spot_severity = SEVERITIES.pick(rng)
        opinion.hot_spot_since = _day_between(rng, received, end)
        opinion.hot_spot_note = rng.choice(HOT_SPOT_NOTES)
        if rng.random() < 0.55:
            opinion.hot_spot_resolved_on = _day_between(rng, opinion.hot_spot_since, end)
    return opinion


@transaction.atomic
def work_generate(
    *, units, today: datetime.date, seed: int = 2025, scale: str = "small"
) -> WorkCounts:
    """A year of activities and opinions (the last of its life up to today) for
    every unit of ``units`` (a queryset) that has none yet. ``scale="national"``
    writes fewer per unit (the country has 83,000 units). Returns what was written;
    ``overdue`` and ``hot_spots`` count those of today."""
    rng = random.Random(f"work-{seed}")  # noqa: S311 - made-up data, reproducible by seed
    density = DENSITY["national" if scale == "national" else "full"]
    busy = set(Activity.objects.values_list("unit_id", flat=True).distinct())
    busy |= set(Opinion.objects.values_list("unit_id", flat=True).distinct())
    units = [
        u
        for u in units.select_related("area", "commune").order_by("area_path", "pk")
        if u.pk not in busy
    ]
    provinces = {province_path(u.area_path) for u in units}
    days_by_province = dict(
        ProvinceWorkSettings.objects.filter(province__path__in=provinces).values_list(
            "province__path", "overdue_days"
        )
    )
    profiles = {a.path: province_profile(a) for a in Area.objects.filter(path__in=provinces)}
    activities, opinions = [], []
    for unit in units:
        window = _window(unit, today)
        if window is None:
            continue
        start, end = window
        path = province_path(unit.area_path)
        days = days_by_province.get(path, DEFAULT_OVERDUE_DAYS)
        (a_low, a_high), (o_low, o_high) = density["team" if unit.kind in TEAM_KINDS else "bloc"]
        for _ in range(rng.randint(a_low, a_high)):
            activities.append(_activity(rng, unit, start, end, unit.commune.name))
        for _ in range(rng.randint(o_low, o_high)):
            opinions.append(_opinion(rng, unit, start, end, days, today, profiles[path]))
    with audit.audit_context(reason=DEMO_REASON):
        audit.bulk_create(Activity, activities, batch_size=BATCH)
        audit.bulk_create(Opinion, opinions, batch_size=BATCH)
    if activities or opinions:
        data_changed.send(sender=Activity, province_paths=sorted(provinces))
    return WorkCounts(
        activities=len(activities),
        opinions=len(opinions),
        overdue=sum(o.overdue_on(today) for o in opinions),
        hot_spots=sum(o.hot_spot_open for o in opinions),
    )
