"""Made-up criteria and ratings for the demo data (``generate_demo``).

For every province that has demo units: criteria sets for blocs and teams for the last
three finished years and the year in progress, issued; every unit in force at the end of
a finished year gets a decided rating (self-assessment, proposal and decision, mostly at
level 2, at most about a fifth at level 1, a few capped by a gate); the year in progress
has ratings at every stage, so the screens have work to show. Written with bulk_create:
the national scale stays within minutes.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluations.choices import ScoreStage, Stage, Subject
from evaluations.models import CriteriaSet, CriterionItem, Evaluation, EvaluationScore
from evaluations.scoring import scale_level
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from portal import audit
from portal.paths import province_path
from units.choices import UnitKind
from units.models import Area, Unit
from units.services import area_exists_on, rating_reference_day
from units.signals import data_changed

GROUPS = [
    {
        "code": "1",
        "title": "Tiêu chí chung",
        "items": [
            {"code": "1.1", "max_score": 10,
             "text": "Có quyết định thành lập, quy chế hoạt động và phân công thành viên"},
            {"code": "1.2", "max_score": 10,
             "text": "Họp định kỳ theo quy chế, có biên bản"},
            {"code": "1.3", "max_score": 10,
             "text": "Thực hiện chế độ thông tin, báo cáo đúng hạn"},
        ],
    },
    {
        "code": "2",
        "title": "Kết quả thực hiện nhiệm vụ",
        "items": [
            {"code": "2.1", "max_score": 20,
             "text": "Nắm tình hình nhân dân, phản ánh kịp thời ý kiến, kiến nghị"},
            {"code": "2.2", "max_score": 20,
             "text": "Tuyên truyền, vận động nhân dân thực hiện chủ trương, chính sách "
                     "(số hoạt động ghi trong sổ theo dõi)",
             "measure": "activities", "thresholds": "10: 20; 6: 15; 3: 10; 1: 5"},
            {"code": "2.3", "max_score": 15,
             "text": "Tham gia hòa giải, giải quyết vụ việc ngay tại cơ sở"},
            {"code": "2.4", "max_score": 15,
             "text": "Xây dựng, nhân rộng mô hình “Dân vận khéo”"},
        ],
    },
]  # fmt: skip
GATES = [
    {
        "code": "K1",
        "question": "Để xảy ra điểm nóng, khiếu kiện đông người",
        "cap_level": 3,
        "automatic": "hot_spot",
    },
    {"code": "K2", "question": "Có thành viên bị xử lý kỷ luật trong năm", "cap_level": 2},
]
TITLES = {
    Subject.BLOC: "Tiêu chí đánh giá Khối dân vận cơ sở năm {year}",
    Subject.TEAM: "Tiêu chí đánh giá Tổ dân vận năm {year}",
}
BATCH = 2000


def demo_years(today: datetime.date) -> list[int]:
    """The last three finished years and the year in progress."""
    return [today.year - 3, today.year - 2, today.year - 1, today.year]


def _criteria(province: Area, years: list[int]) -> dict[tuple[int, str], CriteriaSet]:
    sets = {}
    for year in years:
        for subject in (Subject.BLOC, Subject.TEAM):
            existing = CriteriaSet.objects.filter(
                province=province, year=year, subject=subject
            ).first()
            if existing is None:
                existing = criteria_set_create(
                    acting_user=None,
                    province=province,
                    year=year,
                    subject=subject,
                    title=TITLES[subject].format(year=year),
                    groups=GROUPS,
                    gates=GATES,
                    quota_percent=20,
                )
                criteria_set_issue(
                    acting_user=None,
                    criteria_set=existing,
                    issued_on=datetime.date(year, 1, 15),
                )
            sets[(year, subject)] = existing
    return sets


def _scores(rng: random.Random, items, strength: float) -> dict:
    """Scores near ``strength`` × maximum, in half points."""
    scores = {}
    for item in items:
        share = min(1.0, max(0.3, rng.gauss(strength, 0.08)))
        scores[item] = (Decimal(str(round(float(item.max_score) * share * 2) / 2))).quantize(
            Decimal("0.5")
        )
    return scores


@transaction.atomic
def generate_ratings(
    *,
    units,
    today: datetime.date,
    seed: int = 2025,
    with_scores: bool = True,
    years: list[int] | None = None,
) -> dict:
    """Criteria and ratings for ``units`` (a queryset); units that already have a rating
    for a year are left alone, so a second run adds nothing. ``with_scores=False`` (the
    national scale) writes totals and levels without the per-item score rows, which
    would be millions. ``years`` (default ``demo_years``): the years rated. A unit is
    rated only for the years its area exists at the year's end (today for the year in
    progress): a legacy unit up to 2024, a 2025 unit from 2025, as ``evaluation_start``."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible by seed
    years = years or demo_years(today)
    units = list(units.select_related("area"))
    provinces = {}
    for unit in units:
        provinces.setdefault(province_path(unit.area_path), []).append(unit)
    province_areas = {a.path: a for a in Area.objects.filter(path__in=list(provinces))}
    rated = set(Evaluation.objects.filter(unit__in=units).values_list("unit_id", "year"))
    now = timezone.now()
    evaluations, score_rows = [], []
    for path, province_units in provinces.items():
        province = province_areas[path]
        sets = _criteria(
            province,
            [y for y in years if area_exists_on(province, rating_reference_day(y, today))],
        )
        items = {
            key: list(CriterionItem.objects.filter(group__criteria_set=s))
            for key, s in sets.items()
        }
        levels = {key: list(s.levels.all()) for key, s in sets.items()}
        for unit in province_units:
            subject = Subject.BLOC if unit.kind == UnitKind.BLOC else Subject.TEAM
            for year in years:
                year_end = datetime.date(year, 12, 31)
                in_force = (
                    (unit.decision_date is None or unit.decision_date <= year_end)
                    and (unit.dissolved_on is None or unit.dissolved_on > min(year_end, today))
                    and area_exists_on(unit.area, rating_reference_day(year, today))
                )
                if not in_force or (unit.pk, year) in rated:
                    continue
                key = (year, subject)
                strength = rng.choice([0.95, 0.85, 0.85, 0.8, 0.75, 0.7, 0.6, 0.45])
                scores = _scores(rng, items[key], strength)
                total = sum(scores.values(), Decimal(0))
                capped = [3] if rng.random() < 0.03 else []
                level = scale_level(total, levels[key], capped)
                evaluation = Evaluation(
                    unit=unit,
                    year=year,
                    criteria_set=sets[key],
                    area_path=unit.area_path,
                    self_total=total,
                    self_level=level,
                    self_at=now,
                )
                if year < today.year:
                    stage = Stage.DECIDED
                else:
                    stage = rng.choice([Stage.SELF, Stage.PROPOSAL, Stage.DECISION, Stage.DECIDED])
                if stage != Stage.SELF:
                    evaluation.proposed_total, evaluation.proposed_level = total, level
                    evaluation.proposed_at = now
                if stage == Stage.DECIDED:
                    evaluation.decided_total, evaluation.decided_level = total, level
                    evaluation.decided_at = now
                if stage == Stage.SELF:
                    evaluation.self_total = evaluation.self_level = evaluation.self_at = None
                evaluation.stage = stage
                evaluations.append(evaluation)
                stages = {
                    Stage.SELF: [ScoreStage.SELF],
                    Stage.PROPOSAL: [ScoreStage.SELF],
                    Stage.DECISION: [ScoreStage.SELF, ScoreStage.PROPOSAL],
                    Stage.DECIDED: [ScoreStage.SELF, ScoreStage.PROPOSAL, ScoreStage.DECISION],
                }[stage]
                if with_scores:
                    score_rows.append((evaluation, scores, stages))
    audit.bulk_create(Evaluation, evaluations, batch_size=BATCH)
    # A self-assessment still in progress leaves the items scored from the record
    # (2.2) blank: its sheet starts from what the unit's activities give.
    scores_to_write = [
        EvaluationScore(evaluation=evaluation, item=item, stage=stage, score=score)
        for evaluation, scores, stages in score_rows
        for stage in stages
        for item, score in scores.items()
        if not (item.measure and evaluation.stage == Stage.SELF)
    ]
    EvaluationScore.objects.bulk_create(scores_to_write, batch_size=BATCH)
    data_changed.send(sender=Evaluation, province_paths=list(provinces))
    return {
        "criteria_sets": CriteriaSet.objects.filter(province__path__in=list(provinces)).count(),
        "evaluations": len(evaluations),
        "scores": len(scores_to_write),
    }


def units_for_ratings(edition: str):
    """Every demo unit of an edition (blocs and teams, dissolved ones included)."""
    return Unit.objects.filter(area_path__startswith=f"{edition}/")
