"""Made-up "Dân vận khéo" models for the demo data (``generate_demo``).

About half the communes with a bloc (fewer at national scale) registered a model or
two in the last year of the bloc's life: most recognised by the commune (a fifth by the
province), some typical, others still being implemented or reviewed, a few not
recognised with a reason. Invented, deterministic for a seed, bulk-written with their
audit rows (the demo's reason); a commune that has any model already is left alone, so
a second run adds nothing.
"""

import dataclasses
import datetime
import random

from django.db import transaction

from exemplars.choices import DecisionLevel, ExemplarField, ExemplarStatus, OwnerKind
from exemplars.models import Exemplar
from members.demo.rosters import DEMO_REASON
from members.demo.weighted import Weighted
from portal import audit
from portal.paths import province_path
from units.choices import UnitKind
from units.signals import data_changed
from work.demo import _window as unit_window

BATCH = 2000

TITLES = {
    ExemplarField.ECONOMY: (
        "Vận động nhân dân hiến đất làm đường giao thông nông thôn",
        "Tổ hợp tác trồng chè an toàn gắn với tiêu thụ sản phẩm",
        "Nuôi ong lấy mật giúp hộ nghèo thoát nghèo",
        "Chuyển đổi số trong tiêu thụ nông sản cho bà con",
    ),
    ExemplarField.CULTURE_SOCIETY: (
        "Tuyến đường hoa, thắp sáng đường quê",
        "Phân loại rác thải tại nguồn",
        "Giữ gìn bản sắc văn hóa dân tộc qua câu lạc bộ hát then, đàn tính",
        "Chung tay xóa nhà tạm, nhà dột nát",
    ),
    ExemplarField.DEFENCE_SECURITY: (
        "Camera an ninh kết nối cộng đồng",
        "Tổ tự quản an ninh trật tự ở khu dân cư",
        "Hòa giải ở cơ sở, giữ gìn tình làng nghĩa xóm",
    ),
    ExemplarField.PARTY_BUILDING: (
        "Đảng viên phụ trách hộ gia đình",
        "Bí thư chi bộ gần dân, sát dân",
        "Đối thoại định kỳ giữa người đứng đầu cấp ủy với nhân dân",
    ),
}
FIELDS = Weighted(
    {
        ExemplarField.ECONOMY: 40,
        ExemplarField.CULTURE_SOCIETY: 30,
        ExemplarField.DEFENCE_SECURITY: 18,
        ExemplarField.PARTY_BUILDING: 12,
    }
)
OWNERS = (
    "Khối dân vận {commune}",
    "Hội Liên hiệp Phụ nữ {commune}",
    "Hội Cựu chiến binh {commune}",
    "Đoàn Thanh niên {commune}",
    "Hội Nông dân {commune}",
    "Ủy ban Mặt trận Tổ quốc {commune}",
)
RESULTS = (
    "Huy động hơn {n} ngày công và {m} triệu đồng của nhân dân.",
    "{n} hộ tham gia; {m} hộ có thu nhập ổn định hơn.",
    "Không để phát sinh điểm nóng; {n} vụ việc được hòa giải thành.",
)
OUTCOMES = Weighted(
    {
        ExemplarStatus.REGISTERED: 12,
        ExemplarStatus.IMPLEMENTING: 25,
        ExemplarStatus.REVIEWED: 8,
        ExemplarStatus.RECOGNISED: 40,
        ExemplarStatus.TYPICAL: 8,
        ExemplarStatus.NOT_RECOGNISED: 7,
    }
)
REJECTIONS = (
    "Kết quả chưa rõ rệt, cần tiếp tục thực hiện thêm một năm.",
    "Chưa có khả năng nhân rộng ở địa bàn khác.",
)


@dataclasses.dataclass
class ExemplarCounts:
    exemplars: int = 0
    recognised: int = 0


def _later(rng, day: datetime.date, end: datetime.date, low: int, high: int) -> datetime.date:
    return min(day + datetime.timedelta(days=rng.randint(low, high)), end)


def _exemplar(rng, bloc, start, end, number: int) -> Exemplar:
    field = FIELDS.pick(rng)
    commune = bloc.area.name
    registered = start + datetime.timedelta(days=rng.randrange(max((end - start).days, 0) // 2 + 1))
    exemplar = Exemplar(
        area=bloc.area,
        area_path=bloc.area.path,
        title=rng.choice(TITLES[field]),
        field=field,
        owner_kind=OwnerKind.COLLECTIVE,
        owner_name=rng.choice(OWNERS).format(commune=commune),
        registered_on=registered,
        description=(
            f"Cấp ủy, chính quyền và Khối dân vận {commune} vận động nhân dân cùng bàn, "
            "cùng làm, cùng kiểm tra; phân công đảng viên, đoàn viên phụ trách từng hộ."
        ),
        results=rng.choice(RESULTS).format(n=rng.randint(20, 400), m=rng.randint(10, 900)),
    )
    outcome = OUTCOMES.pick(rng)
    if outcome == ExemplarStatus.REGISTERED:
        return exemplar
    exemplar.status = ExemplarStatus.IMPLEMENTING
    exemplar.started_on = _later(rng, registered, end, 3, 30)
    if outcome == ExemplarStatus.IMPLEMENTING:
        return exemplar
    exemplar.status = ExemplarStatus.REVIEWED
    exemplar.reviewed_on = _later(rng, exemplar.started_on, end, 60, 150)
    exemplar.review_note = "Mô hình có cách làm sáng tạo, được nhân dân đồng tình."
    if outcome == ExemplarStatus.REVIEWED:
        return exemplar
    if outcome == ExemplarStatus.NOT_RECOGNISED:
        exemplar.status = outcome
        exemplar.rejected_on = _later(rng, exemplar.reviewed_on, end, 5, 20)
        exemplar.rejection_reason = rng.choice(REJECTIONS)
        return exemplar
    exemplar.status = ExemplarStatus.RECOGNISED
    exemplar.decision_date = _later(rng, exemplar.reviewed_on, end, 5, 20)
    province = rng.random() < 0.2
    exemplar.decision_level = DecisionLevel.PROVINCE if province else DecisionLevel.COMMUNE
    exemplar.decision_number = f"{number}-QĐ/{'TU' if province else 'ĐU'}"
    if outcome == ExemplarStatus.TYPICAL:
        exemplar.status = outcome
        exemplar.typical_on = _later(rng, exemplar.decision_date, end, 10, 60)
    return exemplar


@transaction.atomic
def exemplars_generate(
    *, units, today: datetime.date, seed: int = 2025, scale: str = "small"
) -> ExemplarCounts:
    """Models for the communes of the blocs among ``units`` (a queryset) that have none
    yet, registered in the last year of the bloc's life up to ``today``."""
    share = 0.15 if scale == "national" else 0.5
    busy = set(Exemplar.objects.values_list("area_id", flat=True).distinct())
    blocs = units.filter(kind=UnitKind.BLOC).select_related("area").order_by("area_path", "pk")
    exemplars: list[Exemplar] = []
    for bloc in blocs:
        # One generator per commune: whether it has models does not depend on the
        # others (a second run, with some communes done, decides the same).
        rng = random.Random(f"exemplars-{seed}-{bloc.area.path}")  # noqa: S311 - made up
        if bloc.area_id in busy or rng.random() >= share:
            continue
        busy.add(bloc.area_id)
        window = unit_window(bloc, today)
        if window is None:
            continue
        for _ in range(1 if rng.random() < 0.7 else 2):
            exemplars.append(_exemplar(rng, bloc, *window, number=rng.randint(10, 300)))
    with audit.audit_context(reason=DEMO_REASON):
        audit.bulk_create(Exemplar, exemplars, batch_size=BATCH)
    if exemplars:
        provinces = sorted({province_path(e.area_path) for e in exemplars})
        data_changed.send(sender=Exemplar, province_paths=provinces)
    return ExemplarCounts(exemplars=len(exemplars), recognised=sum(e.is_public for e in exemplars))
