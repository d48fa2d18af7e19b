"""Every write to criteria and ratings goes through here.

The rating of a unit (``Evaluation``) and of a member (``MemberRating``) follow the same
steps: the unit assesses itself → the commune Party committee proposes → district or
provincial staff decide (approve, adjust with a reason, or return one step with a
comment) → the result is locked; only provincial staff reopen it, with a reason. The
step machine below serves both; unit ratings add scores per item and gate answers.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from evaluations.choices import DEFAULT_SCALE, LEVELS, ScoreStage, Stage, Subject
from evaluations.models import (
    CriteriaGroup,
    CriteriaSet,
    CriterionItem,
    Evaluation,
    EvaluationScore,
    GateAnswer,
    GateCondition,
    MemberRating,
    RatingLevel,
)
from members.models import Membership
from portal.paths import province_path
from portal.text import normalize
from units.choices import Level, UnitKind
from units.models import Area, Unit

ERROR_NO_CRITERIA = _("Chưa có bộ tiêu chí năm {year} cho {subject} của {province}.")
ERROR_FROZEN = _(
    "Bộ tiêu chí này đã được dùng để đánh giá nên không sửa được: hãy tạo phiên bản mới."
)
ERROR_NOT_PROVINCE = _("Bộ tiêu chí phải do một tỉnh, thành phố ban hành.")
ERROR_SCORE_RANGE = _("Điểm tiêu chí {code} phải từ 0 đến {max}.")
ERROR_SCORE_NUMBER = _("Điểm tiêu chí {code} phải là một số.")
ERROR_MISSING_ITEMS = _("Chưa chấm các tiêu chí: {codes}.")
ERROR_MISSING_GATES = _("Chưa trả lời các điều kiện: {codes}.")
ERROR_LOCKED = _("Kết quả đã được quyết định và khóa; chỉ cán bộ cấp tỉnh mở lại được.")
ERROR_WRONG_STAGE = _("Đánh giá đang ở bước “{stage}”, không thực hiện được thao tác này.")
ERROR_COMMENT_REQUIRED = _("Khi trả lại phải ghi ý kiến.")
ERROR_REASON_REQUIRED = _("Phải ghi lý do.")
ERROR_ADJUST_REASON = _("Điều chỉnh kết quả đề xuất phải ghi lý do.")
ERROR_LEVEL = _("Mức xếp loại phải là 1, 2, 3 hoặc 4.")
ERROR_OUTSIDE_AREA = _("Đơn vị này ngoài địa bàn bạn phụ trách.")
ERROR_NO_PERMISSION = _("Tài khoản của bạn không có quyền thực hiện bước này.")
ERROR_SCALE_ORDER = _("Điểm tối thiểu của các mức phải giảm dần từ mức 1 đến mức 4.")
ERROR_NOT_ISSUED = _("Bộ tiêu chí chưa được ban hành.")
ERROR_EMPTY_SET = _("Bộ tiêu chí chưa có tiêu chí nào.")
ERROR_YEAR_EXISTS = _("{province} đã có bộ tiêu chí {subject} năm {year}.")
WARNING_QUOTA = _(
    "Mức 1 vượt tỷ lệ {quota}%: {count}/{total} đơn vị được xếp mức 1 (tối đa {allowed})."
)

#: Which permission each step needs (the roles' groups hold them, accounts.access).
PERM_SELF = "evaluations.self_assess"
PERM_PROPOSE = "evaluations.propose"
PERM_DECIDE = "evaluations.decide"
PERM_REOPEN = "evaluations.reopen"
PERM_CRITERIA = "evaluations.manage_criteria"


def subject_of_unit(unit: Unit) -> str:
    return Subject.BLOC if unit.kind == UnitKind.BLOC else Subject.TEAM


def _check(acting_user, permission: str, area_path: str | None = None) -> None:
    """Refuse a step the account may not take, or on an object outside its areas.

    Views already 404 outside the scope; this is the rule itself, so that an import,
    a command or a future API cannot skip it. No acting user means the server itself
    (a command run by an operator)."""
    if acting_user is None:
        return
    if not acting_user.has_perm(permission):
        raise PermissionDenied(ERROR_NO_PERMISSION)
    if area_path is not None and not scope_of(acting_user).covers(area_path):
        raise PermissionDenied(ERROR_OUTSIDE_AREA)


# --- Criteria sets ----------------------------------------------------------------------


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
    groups: Iterable[Mapping] = (),
    gates: Iterable[Mapping] = (),
    scale: Iterable[tuple] = DEFAULT_SCALE,
    quota_percent: int | None = None,
) -> CriteriaSet:
    """A new set (version 1) for a province, year and subject.

    ``groups``: [{"code", "title", "items": [{"code", "text", "max_score", "guidance"}]}];
    ``gates``: [{"code", "question", "cap_level"}]; ``scale``: (level, label, minimum).
    """
    _check(acting_user, PERM_CRITERIA, province.path)
    if province.level != Level.PROVINCE:
        raise ValidationError(ERROR_NOT_PROVINCE)
    if CriteriaSet.objects.filter(province=province, year=year, subject=subject).exists():
        raise ValidationError(
            ERROR_YEAR_EXISTS.format(
                province=province.name, subject=Subject(subject).label.lower(), year=year
            )
        )
    criteria_set = CriteriaSet(
        province=province,
        year=year,
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
            )
            criterion.full_clean()
            criterion.save()
    for order, gate in enumerate(gates):
        condition = GateCondition(
            criteria_set=criteria_set,
            code=gate["code"],
            question=normalize(gate["question"]),
            cap_level=int(gate["cap_level"]),
            order=order,
        )
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
                {"code": i.code, "text": i.text, "max_score": i.max_score, "guidance": i.guidance}
                for i in g.items.all()
            ],
        }
        for g in source.groups.prefetch_related("items")
    ]
    gates = [
        {"code": c.code, "question": c.question, "cap_level": c.cap_level}
        for c in source.gates.all()
    ]
    scale = [(lv.level, lv.label, lv.min_score) for lv in source.levels.all()]
    return {"groups": groups, "gates": gates, "scale": scale}


@transaction.atomic
def criteria_set_copy(*, acting_user, source: CriteriaSet, year: int) -> CriteriaSet:
    """Start a year from last year's criteria: the same groups, items, gates, scale and
    quota, as a new draft."""
    copy = criteria_set_create(
        acting_user=acting_user,
        province=source.province,
        year=year,
        subject=source.subject,
        title=source.title.replace(str(source.year), str(year)),
        quota_percent=source.quota_percent,
        **_set_as_dicts(source),
    )
    copy.copied_from = source
    copy.save(update_fields=["copied_from"])
    return copy


@transaction.atomic
def criteria_set_new_version(*, acting_user, source: CriteriaSet) -> CriteriaSet:
    """A new editable version of a frozen set (same province, year, subject)."""
    _check(acting_user, PERM_CRITERIA, source.province.path)
    latest = CriteriaSet.objects.filter(
        province=source.province, year=source.year, subject=source.subject
    ).aggregate(v=Max("version"))["v"]
    copy = CriteriaSet.objects.create(
        province=source.province,
        year=source.year,
        subject=source.subject,
        version=latest + 1,
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
    _check(acting_user, PERM_CRITERIA, criteria_set.province.path)
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
    _check(acting_user, PERM_CRITERIA, criteria_set.province.path)
    if (
        criteria_set.subject != Subject.MEMBER
        and not CriterionItem.objects.filter(group__criteria_set=criteria_set).exists()
    ):
        raise ValidationError(ERROR_EMPTY_SET)
    criteria_set.issued = True
    criteria_set.issued_on = issued_on or timezone.localdate()
    criteria_set.save(update_fields=["issued", "issued_on", "updated_at"])
    return criteria_set


def criteria_set_current(*, province_path_: str, year: int, subject: str) -> CriteriaSet | None:
    """The latest issued version for a province, year and subject."""
    return (
        CriteriaSet.objects.filter(
            province__path=province_path_, year=year, subject=subject, issued=True
        )
        .order_by("-version")
        .first()
    )


# --- Scores -----------------------------------------------------------------------------


def scale_level(total: Decimal, levels: Iterable[RatingLevel], caps: Iterable[int]) -> int:
    """The level a total reaches on the scale, then capped by every gate answered yes
    (a cap is the best level still reachable: the larger number wins)."""
    level = max(LEVELS)
    for step in sorted(levels, key=lambda lv: lv.level):
        if total >= step.min_score:
            level = step.level
            break
    return max([level, *caps])


def parse_score(value, item: CriterionItem) -> Decimal | None:
    """A score typed by a person or read from a sheet ("7,5" and "7.5" both), checked
    against the item's range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(ERROR_SCORE_NUMBER.format(code=item.code)) from None
    if not score.is_finite() or score < 0 or score > item.max_score:
        raise ValidationError(ERROR_SCORE_RANGE.format(code=item.code, max=_number(item.max_score)))
    return score


def _number(value: Decimal) -> str:
    """12.50 -> "12,5" (Vietnamese decimal comma, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _items(criteria_set: CriteriaSet) -> list[CriterionItem]:
    return list(
        CriterionItem.objects.filter(group__criteria_set=criteria_set).order_by(
            "group__order", "order", "code"
        )
    )


def _validate_sheet(criteria_set, scores: Mapping, gates: Mapping, *, complete: bool):
    """Check a score sheet: numbers within range; on submit every item scored and every
    gate answered. ``scores`` and ``gates`` are keyed by item / gate code. Returns
    (clean scores by item, answers by gate); raises one ValidationError listing every
    problem."""
    items = _items(criteria_set)
    conditions = list(criteria_set.gates.all())
    problems, clean_scores, clean_gates, invalid = [], {}, {}, set()
    for item in items:
        try:
            score = parse_score(scores.get(item.code), item)
        except ValidationError as exc:
            problems.extend(exc.messages)
            invalid.add(item.code)
            continue
        if score is not None:
            clean_scores[item] = score
    for gate in conditions:
        answer = gates.get(gate.code)
        if answer is not None:
            clean_gates[gate] = bool(answer)
    if complete:
        missing = [i.code for i in items if i not in clean_scores and i.code not in invalid]
        if missing:
            problems.append(ERROR_MISSING_ITEMS.format(codes=", ".join(missing)))
        unanswered = [g.code for g in conditions if g not in clean_gates]
        if unanswered:
            problems.append(ERROR_MISSING_GATES.format(codes=", ".join(unanswered)))
    if problems:
        raise ValidationError(problems)
    return clean_scores, clean_gates


def _store_sheet(evaluation, stage: str, scores: Mapping, gates: Mapping) -> None:
    EvaluationScore.objects.filter(evaluation=evaluation, stage=stage).delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(evaluation=evaluation, item=item, stage=stage, score=score)
        for item, score in scores.items()
    )
    GateAnswer.objects.filter(evaluation=evaluation, stage=stage).delete()
    GateAnswer.objects.bulk_create(
        GateAnswer(evaluation=evaluation, gate=gate, stage=stage, answer=answer)
        for gate, answer in gates.items()
    )


def sheet_of(evaluation: Evaluation, stage: str) -> tuple[dict, dict]:
    """Scores and gate answers stored for a stage, keyed by item / gate code."""
    scores = {
        s.item.code: s.score for s in evaluation.scores.filter(stage=stage).select_related("item")
    }
    gates = {
        a.gate.code: a.answer
        for a in evaluation.gate_answers.filter(stage=stage).select_related("gate")
    }
    return scores, gates


def _result(criteria_set, scores: Mapping, gates: Mapping) -> tuple[Decimal, int]:
    total = sum(scores.values(), Decimal(0))
    caps = [gate.cap_level for gate, answer in gates.items() if answer]
    return total, scale_level(total, criteria_set.levels.all(), caps)


# --- Unit ratings -------------------------------------------------------------------------


@transaction.atomic
def evaluation_start(*, acting_user, unit: Unit, year: int) -> Evaluation:
    """The unit's rating for ``year``, created on first use against the province's
    current criteria."""
    _check(acting_user, PERM_SELF, unit.area_path)
    existing = Evaluation.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    subject = subject_of_unit(unit)
    criteria_set = criteria_set_current(
        province_path_=province_path(unit.area_path), year=year, subject=subject
    )
    if criteria_set is None:
        province = Area.objects.filter(path=province_path(unit.area_path)).first()
        raise ValidationError(
            ERROR_NO_CRITERIA.format(
                year=year,
                subject=Subject(subject).label.lower(),
                province=province.name if province else "",
            )
        )
    evaluation = Evaluation(unit=unit, year=year, criteria_set=criteria_set)
    evaluation.save()
    return evaluation


def _require_stage(rating, *stages) -> None:
    if rating.is_locked:
        raise ValidationError(ERROR_LOCKED)
    if rating.stage not in stages:
        raise ValidationError(ERROR_WRONG_STAGE.format(stage=rating.get_stage_display()))


@transaction.atomic
def evaluation_self_assess(
    *, acting_user, evaluation: Evaluation, scores: Mapping, gates: Mapping, submit: bool = False
) -> Evaluation:
    """Save the unit's own scores (a draft may be partial); ``submit`` needs every item
    and gate, computes the total and level and hands the rating to the commune."""
    _check(acting_user, PERM_SELF, evaluation.area_path)
    _require_stage(evaluation, Stage.SELF)
    clean_scores, clean_gates = _validate_sheet(
        evaluation.criteria_set, scores, gates, complete=submit
    )
    _store_sheet(evaluation, ScoreStage.SELF, clean_scores, clean_gates)
    if submit:
        evaluation.self_total, evaluation.self_level = _result(
            evaluation.criteria_set, clean_scores, clean_gates
        )
        evaluation.self_by, evaluation.self_at = acting_user, timezone.now()
        evaluation.stage = Stage.PROPOSAL
        evaluation.return_comment = ""
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_propose(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping | None = None,
    gates: Mapping | None = None,
    submit: bool = False,
) -> Evaluation:
    """The commune Party committee's proposal: the self-assessment's scores unless
    changed; ``submit`` sends it up for decision."""
    _check(acting_user, PERM_PROPOSE, evaluation.area_path)
    _require_stage(evaluation, Stage.PROPOSAL)
    if scores is None or gates is None:
        own_scores, own_gates = sheet_of(evaluation, ScoreStage.SELF)
        scores = own_scores if scores is None else scores
        gates = own_gates if gates is None else gates
    clean_scores, clean_gates = _validate_sheet(
        evaluation.criteria_set, scores, gates, complete=submit
    )
    _store_sheet(evaluation, ScoreStage.PROPOSAL, clean_scores, clean_gates)
    if submit:
        evaluation.proposed_total, evaluation.proposed_level = _result(
            evaluation.criteria_set, clean_scores, clean_gates
        )
        evaluation.proposed_by, evaluation.proposed_at = acting_user, timezone.now()
        evaluation.stage = Stage.DECISION
        evaluation.return_comment = ""
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_decide(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping | None = None,
    gates: Mapping | None = None,
    reason: str = "",
) -> Evaluation:
    """Approve the proposal as it stands, or adjust it (other scores or answers) with a
    reason. The result is locked."""
    _check(acting_user, PERM_DECIDE, evaluation.area_path)
    _require_stage(evaluation, Stage.DECISION)
    proposed_scores, proposed_gates = sheet_of(evaluation, ScoreStage.PROPOSAL)
    scores = proposed_scores if scores is None else scores
    gates = proposed_gates if gates is None else gates
    clean_scores, clean_gates = _validate_sheet(
        evaluation.criteria_set, scores, gates, complete=True
    )
    adjusted = {i.code: s for i, s in clean_scores.items()} != {
        k: Decimal(v) for k, v in proposed_scores.items()
    } or {g.code: a for g, a in clean_gates.items()} != proposed_gates
    reason = normalize(reason)
    if adjusted and not reason:
        raise ValidationError(ERROR_ADJUST_REASON)
    _store_sheet(evaluation, ScoreStage.DECISION, clean_scores, clean_gates)
    evaluation.decided_total, evaluation.decided_level = _result(
        evaluation.criteria_set, clean_scores, clean_gates
    )
    evaluation.decided_by, evaluation.decided_at = acting_user, timezone.now()
    evaluation.adjust_reason = reason if adjusted else ""
    evaluation.stage = Stage.DECIDED
    evaluation.save()
    return evaluation


def quota_warning(*, evaluations: Iterable[Evaluation]) -> list[str]:
    """Warnings when approving ``evaluations`` as proposed would put more units at
    level 1 than their criteria's quota allows (per criteria set: province, year,
    subject). A warning, never a block: the decider confirms."""
    warnings = []
    by_set: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_set.setdefault(evaluation.criteria_set_id, []).append(evaluation)
    for group in by_set.values():
        criteria_set = group[0].criteria_set
        if not criteria_set.quota_percent:
            continue
        same = Evaluation.objects.filter(
            year=criteria_set.year,
            criteria_set__province_id=criteria_set.province_id,
            criteria_set__subject=criteria_set.subject,
        ).exclude(stage=Stage.NOT_RATED)
        total = same.count()
        already = same.filter(stage=Stage.DECIDED, decided_level=1).exclude(
            pk__in=[e.pk for e in group]
        )
        count = already.count() + sum(1 for e in group if e.proposed_level == 1)
        allowed = total * criteria_set.quota_percent // 100
        if count > allowed:
            warnings.append(
                WARNING_QUOTA.format(
                    quota=criteria_set.quota_percent, count=count, total=total, allowed=allowed
                )
            )
    return warnings


@transaction.atomic
def evaluations_approve(*, acting_user, evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Approve many proposals at once, all or nothing."""
    return [evaluation_decide(acting_user=acting_user, evaluation=e) for e in evaluations]


_PREVIOUS = {Stage.DECISION: Stage.PROPOSAL, Stage.PROPOSAL: Stage.SELF}


@transaction.atomic
def rating_return(*, acting_user, rating, comment: str):
    """Send a unit or member rating back one step with a required comment: a decision
    pending goes back to the commune's proposal, a proposal back to the unit."""
    comment = normalize(comment)
    if not comment:
        raise ValidationError(ERROR_COMMENT_REQUIRED)
    _require_stage(rating, Stage.DECISION, Stage.PROPOSAL)
    permission = PERM_DECIDE if rating.stage == Stage.DECISION else PERM_PROPOSE
    _check(acting_user, permission, rating.area_path)
    rating.stage = _PREVIOUS[rating.stage]
    rating.return_comment = comment
    rating.save()
    return rating


@transaction.atomic
def rating_not_rated(*, acting_user, rating, reason: str):
    """Close a rating as "not rated" (a unit founded late in the year, dissolved):
    a decision like any other, locked."""
    _check(acting_user, PERM_DECIDE, rating.area_path)
    if rating.is_locked:
        raise ValidationError(ERROR_LOCKED)
    reason = normalize(reason)
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED)
    rating.stage = Stage.NOT_RATED
    rating.not_rated_reason = reason
    rating.decided_level = None
    rating.decided_by, rating.decided_at = acting_user, timezone.now()
    rating.save()
    return rating


@transaction.atomic
def rating_reopen(*, acting_user, rating, reason: str):
    """Reopen a locked rating (provincial staff only): it waits for a decision again."""
    _check(acting_user, PERM_REOPEN, rating.area_path)
    if not rating.is_locked:
        raise ValidationError(ERROR_WRONG_STAGE.format(stage=rating.get_stage_display()))
    reason = normalize(reason)
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED)
    rating.stage = Stage.DECISION
    rating.reopen_reason = reason
    rating.not_rated_reason = ""
    rating.save()
    return rating


# --- Member ratings ------------------------------------------------------------------------


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ValidationError(ERROR_LEVEL) from None
    if level not in LEVELS:
        raise ValidationError(ERROR_LEVEL)
    return level


@transaction.atomic
def member_rating_start(*, acting_user, membership: Membership, year: int) -> MemberRating:
    _check(acting_user, PERM_SELF, membership.area_path)
    rating, _created = MemberRating.objects.get_or_create(
        membership=membership, year=year, defaults={"area_path": membership.area_path}
    )
    return rating


@transaction.atomic
def member_rating_step(*, acting_user, rating: MemberRating, level, reason: str = ""):
    """Record the level of the rating's current step and move it on: self → proposal →
    decision → decided. Deciding another level than proposed needs a reason."""
    level = _level(level)
    now = timezone.now()
    if rating.stage == Stage.SELF:
        _check(acting_user, PERM_SELF, rating.area_path)
        rating.self_level, rating.self_by, rating.self_at = level, acting_user, now
        rating.stage = Stage.PROPOSAL
    elif rating.stage == Stage.PROPOSAL:
        _check(acting_user, PERM_PROPOSE, rating.area_path)
        rating.proposed_level, rating.proposed_by, rating.proposed_at = level, acting_user, now
        rating.stage = Stage.DECISION
    elif rating.stage == Stage.DECISION:
        _check(acting_user, PERM_DECIDE, rating.area_path)
        reason = normalize(reason)
        if level != rating.proposed_level and not reason:
            raise ValidationError(ERROR_ADJUST_REASON)
        rating.decided_level, rating.decided_by, rating.decided_at = level, acting_user, now
        rating.adjust_reason = reason if level != rating.proposed_level else ""
        rating.stage = Stage.DECIDED
    else:
        raise ValidationError(ERROR_LOCKED)
    rating.return_comment = ""
    rating.save()
    return rating


# --- Evidence files ------------------------------------------------------------------------

ERROR_EVIDENCE_TYPE = _("Tệp minh chứng phải là ảnh (JPG, PNG, WEBP) hoặc PDF.")
ERROR_EVIDENCE_SIZE = _("Tệp minh chứng lớn hơn {limit} MB.")
ERROR_EVIDENCE_ITEM = _("Tiêu chí không thuộc bộ tiêu chí của đánh giá này.")

#: Accepted evidence by extension, each with the bytes such a file starts with: a phone's
#: photo or a scanned document, never a page or a script the portal would serve back.
EVIDENCE_TYPES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "pdf": (b"%PDF-",),
}
EVIDENCE_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def evidence_max_bytes() -> int:
    from django.conf import settings

    return getattr(settings, "DANVAN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def evidence_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_evidence_file(upload) -> None:
    """An image or PDF no larger than the limit, recognised by its name and its first
    bytes (the browser's content type is whatever the phone says)."""
    limit = evidence_max_bytes()
    if upload.size > limit:
        raise ValidationError(ERROR_EVIDENCE_SIZE.format(limit=limit // (1024 * 1024)))
    signatures = EVIDENCE_TYPES.get(evidence_extension(upload.name))
    if not signatures:
        raise ValidationError(ERROR_EVIDENCE_TYPE)
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if not any(head.startswith(s) for s in signatures) or (
        evidence_extension(upload.name) == "webp" and head[8:12] != b"WEBP"
    ):
        raise ValidationError(ERROR_EVIDENCE_TYPE)


@transaction.atomic
def evidence_add(*, acting_user, evaluation: Evaluation, item: CriterionItem, file, description=""):
    """Attach a file to one item of the unit's self-assessment (while it is a draft)."""
    from evaluations.models import EvidenceFile

    _check(acting_user, PERM_SELF, evaluation.area_path)
    _require_stage(evaluation, Stage.SELF)
    if item.group.criteria_set_id != evaluation.criteria_set_id:
        raise ValidationError(ERROR_EVIDENCE_ITEM)
    validate_evidence_file(file)
    evidence = EvidenceFile(
        evaluation=evaluation,
        item=item,
        file=file,
        description=normalize(description)[:250],
        uploaded_by=acting_user,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, acting_user, evidence) -> None:
    """Remove a file from a draft self-assessment; the stored file goes once the
    transaction commits."""
    evaluation = evidence.evaluation
    _check(acting_user, PERM_SELF, evaluation.area_path)
    _require_stage(evaluation, Stage.SELF)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Member ratings of a whole roster -------------------------------------------------------


@transaction.atomic
def member_ratings_step(*, acting_user, year: int, levels: Mapping) -> list[MemberRating]:
    """Record the current step for many members at once (a roster's form), all or
    nothing. ``levels``: {membership: (level, reason)}. Errors are collected for every
    member and raised together, keyed by the membership's id."""
    errors, done = {}, []
    for membership, (level, reason) in levels.items():
        try:
            with transaction.atomic():
                rating = member_rating_start(
                    acting_user=acting_user, membership=membership, year=year
                )
                done.append(
                    member_rating_step(
                        acting_user=acting_user, rating=rating, level=level, reason=reason
                    )
                )
        except ValidationError as exc:
            errors[str(membership.pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return done
