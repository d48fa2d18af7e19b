"""Criteria sets: created, copied to another year, versioned, changed while unused,
issued. A set a rating was scored against is frozen: a change makes a new version."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.choices import DEFAULT_SCALE, LEVELS, Subject
from evaluations.models import (
    CriteriaGroup,
    CriteriaSet,
    CriterionItem,
    Evaluation,
    GateCondition,
    MemberRating,
    RatingLevel,
)
from evaluations.periods import YEAR, period_label
from evaluations.rounds import ROUND_FIELDS
from evaluations.services.steps import require_permission
from evaluations.stages import MANAGE_CRITERIA
from portal.paths import province_path
from portal.text import normalize
from units.choices import Level, UnitKind
from units.models import Area, Unit
from units.selectors import successor_province

ERROR_NO_CRITERIA = _("Chưa có bộ tiêu chí {period} cho {subject} của {province}.")
ERROR_FROZEN = _(
    "Bộ tiêu chí này đã được dùng để đánh giá nên không sửa được: hãy tạo phiên bản mới."
)
ERROR_NOT_PROVINCE = _("Bộ tiêu chí phải do một tỉnh, thành phố ban hành.")
ERROR_SCALE_ORDER = _("Điểm tối thiểu của các mức phải giảm dần từ mức 1 đến mức 4.")
ERROR_EMPTY_SET = _("Bộ tiêu chí chưa có tiêu chí nào.")
ERROR_YEAR_EXISTS = _("{province} đã có bộ tiêu chí {subject} {period}.")
ERROR_ROUND_ORDER = _(
    "Các mốc của đợt đánh giá phải theo thứ tự: mở đợt, hạn tự đánh giá, hạn đề xuất, "
    "hạn quyết định."
)
ERROR_MEMBER_QUANTITATIVE = _(
    "Tiêu chí tính từ sổ theo dõi và điều kiện tự động chỉ dùng cho đánh giá đơn vị, "
    "không dùng cho xếp loại thành viên."
)
#: What a quantitative item adds to an item's description (copied with it).
QUANTITATIVE_FIELDS = ("measure", "activity_kind", "thresholds")
ERROR_COPY_PROVINCE = _(
    "Chỉ sao chép được bộ tiêu chí sang chính tỉnh đó hoặc sang tỉnh kế thừa nó từ 01/07/2025."
)


def subject_of_unit(unit: Unit) -> str:
    """Which criteria rate ``unit``: a bloc's, or a team's (community teams too)."""
    return Subject.BLOC if unit.kind == UnitKind.BLOC else Subject.TEAM


def criteria_set_is_used(criteria_set: CriteriaSet) -> bool:
    """Whether any unit or member rating was scored against this version."""
    if criteria_set.subject == Subject.MEMBER:
        # Member ratings carry a level only; the set is their guidance for the year.
        return MemberRating.objects.filter(
            year=criteria_set.year, area_path__descendant_of=criteria_set.province.path
        ).exists()
    return Evaluation.objects.filter(criteria_set=criteria_set).exists()


def _check_not_frozen(criteria_set: CriteriaSet) -> None:
    if criteria_set_is_used(criteria_set):
        raise ValidationError(ERROR_FROZEN)


@transaction.atomic
def criteria_set_create(
    *,
    acting_user,
    province: Area,
    year: int,
    subject: str,
    title: str,
    period: str = YEAR,
    groups: Iterable[Mapping] = (),
    gates: Iterable[Mapping] = (),
    scale: Iterable[tuple] = DEFAULT_SCALE,
    quota_percent: int | None = None,
) -> CriteriaSet:
    """A new set (version 1) for a province, period (``year`` and ``period``, the
    whole year by default: evaluations.periods) and subject.

    ``groups``: [{"code", "title", "items": [{"code", "text", "max_score", "guidance"}]}]
    (an item may add "measure", "activity_kind", "thresholds": a quantitative item);
    ``gates``: [{"code", "question", "cap_level"}] (and "automatic"); ``scale``:
    (level, label, minimum).
    """
    require_permission(acting_user, MANAGE_CRITERIA, province.path)
    if province.level != Level.PROVINCE:
        raise ValidationError(ERROR_NOT_PROVINCE)
    if CriteriaSet.objects.filter(
        province=province, year=year, period=period, subject=subject
    ).exists():
        raise ValidationError(
            ERROR_YEAR_EXISTS.format(
                province=province.name,
                subject=Subject(subject).label.lower(),
                period=period_label(year, period),
            )
        )
    criteria_set = CriteriaSet(
        province=province,
        year=year,
        period=period,
        subject=subject,
        title=normalize(title),
        quota_percent=quota_percent,
        created_by=acting_user,
    )
    criteria_set.full_clean()
    criteria_set.save()
    _fill_set(criteria_set, groups=groups, gates=gates, scale=scale)
    return criteria_set


def _fill_set(criteria_set, *, groups, gates, scale) -> None:
    for g_order, group in enumerate(groups):
        g = CriteriaGroup(
            criteria_set=criteria_set,
            code=group["code"],
            title=normalize(group["title"]),
            order=g_order,
        )
        g.full_clean()
        g.save()
        for i_order, item in enumerate(group.get("items", [])):
            criterion = CriterionItem(
                group=g,
                code=item["code"],
                text=normalize(item["text"]),
                guidance=item.get("guidance", ""),
                max_score=Decimal(str(item["max_score"])),
                order=i_order,
                measure=item.get("measure", ""),
                activity_kind=item.get("activity_kind", ""),
                thresholds=item.get("thresholds", ""),
            )
            if criterion.measure and criteria_set.subject == Subject.MEMBER:
                raise ValidationError(ERROR_MEMBER_QUANTITATIVE)
            criterion.full_clean()
            criterion.save()
    for order, gate in enumerate(gates):
        condition = GateCondition(
            criteria_set=criteria_set,
            code=gate["code"],
            question=normalize(gate["question"]),
            cap_level=int(gate["cap_level"]),
            order=order,
            automatic=gate.get("automatic", ""),
        )
        if condition.automatic and criteria_set.subject == Subject.MEMBER:
            raise ValidationError(ERROR_MEMBER_QUANTITATIVE)
        condition.full_clean()
        condition.save()
    scale = sorted(scale)
    minimums = [Decimal(str(minimum)) for _level, _label, minimum in scale]
    if sorted(minimums, reverse=True) != minimums or [s[0] for s in scale] != list(LEVELS):
        raise ValidationError(ERROR_SCALE_ORDER)
    RatingLevel.objects.bulk_create(
        RatingLevel(criteria_set=criteria_set, level=level, label=label, min_score=minimum)
        for (level, label, _m), minimum in zip(scale, minimums, strict=True)
    )


def _set_as_dicts(source: CriteriaSet) -> dict:
    groups = [
        {
            "code": g.code,
            "title": g.title,
            "items": [
                {
                    "code": i.code,
                    "text": i.text,
                    "max_score": i.max_score,
                    "guidance": i.guidance,
                    **{f: getattr(i, f) for f in QUANTITATIVE_FIELDS},
                }
                for i in g.items.all()
            ],
        }
        for g in source.groups.prefetch_related("items")
    ]
    gates = [
        {
            "code": c.code,
            "question": c.question,
            "cap_level": c.cap_level,
            "automatic": c.automatic,
        }
        for c in source.gates.all()
    ]
    scale = [(lv.level, lv.label, lv.min_score) for lv in source.levels.all()]
    return {"groups": groups, "gates": gates, "scale": scale}


def copy_targets(source: CriteriaSet) -> list[Area]:
    """The provinces ``source`` may be copied to: its own, and the 2025 province that
    absorbed it when it is a legacy province (a successor starts from any of its
    predecessors' sets)."""
    successor = successor_province(source.province)
    return [source.province, *([successor] if successor else [])]


@transaction.atomic
def criteria_set_copy(
    *,
    acting_user,
    source: CriteriaSet,
    year: int,
    province: Area | None = None,
    period: str | None = None,
) -> CriteriaSet:
    """Start a period from another one's criteria: the same groups, items, gates, scale
    and quota, as a new draft, in ``source``'s province or (``province``) in the 2025
    province that succeeded it. ``period`` (a code of evaluations.periods) is the
    source's kind of period by default: a quarterly set copies to a quarter of
    ``year``, a yearly one to the year."""
    period = source.period if period is None else period
    province = province or source.province
    if province.pk not in {p.pk for p in copy_targets(source)}:
        raise ValidationError(ERROR_COPY_PROVINCE)
    copy = criteria_set_create(
        acting_user=acting_user,
        province=province,
        year=year,
        period=period,
        subject=source.subject,
        title=_copied_title(source, year, period),
        quota_percent=source.quota_percent,
        **_set_as_dicts(source),
    )
    copy.copied_from = source
    copy.save(update_fields=["copied_from"])
    return copy


def _copied_title(source: CriteriaSet, year: int, period: str) -> str:
    """The source's title naming the new period: its period's label (or its year)
    replaced by the new one."""
    old, new = period_label(source.year, source.period), period_label(year, period)
    if old in source.title:
        return source.title.replace(old, new)
    return source.title.replace(str(source.year), str(year))


@transaction.atomic
def criteria_set_new_version(*, acting_user, source: CriteriaSet) -> CriteriaSet:
    """A new editable version of a frozen set (same province, year, subject)."""
    require_permission(acting_user, MANAGE_CRITERIA, source.province.path)
    latest = CriteriaSet.objects.filter(
        province=source.province, year=source.year, period=source.period, subject=source.subject
    ).aggregate(v=Max("version"))["v"]
    copy = CriteriaSet.objects.create(
        province=source.province,
        year=source.year,
        period=source.period,
        subject=source.subject,
        version=latest + 1,
        **{field: getattr(source, field) for field in ROUND_FIELDS},
        title=source.title,
        quota_percent=source.quota_percent,
        copied_from=source,
        created_by=acting_user,
    )
    _fill_set(copy, **_set_as_dicts(source))
    return copy


@transaction.atomic
def criteria_set_update(*, acting_user, criteria_set: CriteriaSet, **changes) -> CriteriaSet:
    """Change a draft or unused set: its title, quota, groups/items/gates/scale
    (given whole, as in ``criteria_set_create``). A used set is frozen."""
    require_permission(acting_user, MANAGE_CRITERIA, criteria_set.province.path)
    _check_not_frozen(criteria_set)
    for field in ("title", "quota_percent"):
        if field in changes:
            setattr(criteria_set, field, changes[field])
    criteria_set.full_clean()
    criteria_set.save()
    if {"groups", "gates", "scale"} & changes.keys():
        current = _set_as_dicts(criteria_set)
        criteria_set.groups.all().delete()
        criteria_set.gates.all().delete()
        criteria_set.levels.all().delete()
        _fill_set(
            criteria_set,
            groups=changes.get("groups", current["groups"]),
            gates=changes.get("gates", current["gates"]),
            scale=changes.get("scale", current["scale"]),
        )
    return criteria_set


@transaction.atomic
def criteria_set_issue(
    *, acting_user, criteria_set: CriteriaSet, issued_on: datetime.date | None = None
) -> CriteriaSet:
    """Issue the set: from now on the province's units are rated against it."""
    require_permission(acting_user, MANAGE_CRITERIA, criteria_set.province.path)
    if (
        criteria_set.subject != Subject.MEMBER
        and not CriterionItem.objects.filter(group__criteria_set=criteria_set).exists()
    ):
        raise ValidationError(ERROR_EMPTY_SET)
    criteria_set.issued = True
    criteria_set.issued_on = issued_on or timezone.localdate()
    criteria_set.save(update_fields=["issued", "issued_on", "updated_at"])
    return criteria_set


@transaction.atomic
def criteria_set_schedule(*, acting_user, criteria_set: CriteriaSet, **dates) -> CriteriaSet:
    """Set the rating round of a set: its opening day and the deadlines of the
    self-assessment, the proposal and the decision (``ROUND_FIELDS``, each may be
    empty). Allowed on a used set too: the dates are no part of the criteria."""
    require_permission(acting_user, MANAGE_CRITERIA, criteria_set.province.path)
    for field in ROUND_FIELDS:
        if field in dates:
            setattr(criteria_set, field, dates[field])
    given = [d for d in (getattr(criteria_set, f) for f in ROUND_FIELDS) if d is not None]
    if given != sorted(given):
        raise ValidationError(ERROR_ROUND_ORDER)
    criteria_set.save(update_fields=[*ROUND_FIELDS, "updated_at"])
    return criteria_set


def criteria_set_current(
    *, province_path_: str, year: int, subject: str, period: str = YEAR
) -> CriteriaSet | None:
    """The latest issued version for a province, period and subject."""
    return (
        CriteriaSet.objects.filter(
            province__path=province_path_, year=year, period=period, subject=subject, issued=True
        )
        .select_related("province")
        .order_by("-version")
        .first()
    )


def criteria_missing(*, path: str, year: int, subject: str, period: str = YEAR) -> str:
    """The message for a period without issued criteria in the province of ``path``."""
    province = Area.objects.filter(path=province_path(path)).first()
    return ERROR_NO_CRITERIA.format(
        period=period_label(year, period),
        subject=Subject(subject).label.lower(),
        province=province.name if province else "",
    )


def criteria_items(criteria_set: CriteriaSet) -> list[CriterionItem]:
    """The set's items in the order of its sheet: by group, then by item."""
    return list(
        CriterionItem.objects.filter(group__criteria_set=criteria_set).order_by(
            "group__order", "order", "code"
        )
    )
