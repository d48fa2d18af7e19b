"""A stage's score sheet on screen: a field per item, a yes/no per gate, evidence on the
unit's own sheet; and the decider's sheet with its reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS, ScoreStage, level_label
from evaluations.measures import UnitRecord
from evaluations.scoring import number_text, parse_score
from evaluations.services.evidence import evidence_max_bytes, validate_evidence_file
from evaluations.services.scores import override_problems
from portal.forms import ServiceForm

YES_NO = [("yes", _("Có")), ("no", _("Không"))]
LEVEL_SELECT = [("", "—"), *[(str(level), level_label(level)) for level in LEVELS]]


def _answer(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _answer_text(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class ScoreInput(forms.TextInput):
    """A number a phone keyboard can type with a decimal comma."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "score-input"}
        super().__init__({**base, **(attrs or {})})


class ScoreSheetForm(ServiceForm):
    """One field per item (``score_<id>``), one yes/no per gate (``gate_<id>``) and,
    on the unit's own sheet, one evidence upload per item (``evidence_<id>``) and a
    "remove" box per stored file.

    ``sheet`` is ``selectors.score_sheet(...)``; ``stage`` the score stage being
    typed; ``prefill`` the stage whose stored scores fill the fields (the proposal
    starts from the self-assessment, the decision from the proposal).

    On the self-assessment a quantitative item starts from the score the record gives
    and has a reason field (``reason_<id>``), required when the score differs. An
    automatic gate is shown answered and cannot be changed: the record answers it on
    the self-assessment and the proposal, the proposal's answer stands at the decision."""

    def __init__(self, *args, sheet, stage, prefill=None, with_evidence=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet, self.stage, self.with_evidence = sheet, stage, with_evidence
        self.evidence_limit_mb = evidence_max_bytes() // (1024 * 1024)
        self.from_record = stage == ScoreStage.SELF
        for row in sheet.items:
            item = row.item
            stored = row.scores.get(stage)
            if stored is None and prefill:
                stored = row.scores.get(prefill)
            if stored is None and self.from_record and row.reading is not None:
                stored = row.reading.points
            if self.from_record and row.reading is not None:
                self.fields[f"reason_{item.pk}"] = forms.CharField(
                    label=_("Lý do chấm khác điểm tính từ sổ (tiêu chí %(code)s)")
                    % {"code": item.code},
                    required=False,
                    max_length=500,
                    initial=row.override_reason,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.fields[f"score_{item.pk}"] = forms.CharField(
                label=f"{item.code}. {item.text}",
                required=False,
                max_length=12,
                initial=number_text(stored),
                widget=ScoreInput(
                    attrs={"data-score": "", "data-max": number_text(item.max_score)}
                ),
            )
            if with_evidence:
                self.fields[f"evidence_{item.pk}"] = forms.FileField(
                    label=_("Thêm minh chứng cho tiêu chí %(code)s") % {"code": item.code},
                    required=False,
                    widget=forms.ClearableFileInput(
                        attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
                    ),
                )
        for row in sheet.gates:
            gate = row.gate
            stored = row.answers.get(stage)
            if stored is None and prefill:
                stored = row.answers.get(prefill)
            automatic = bool(gate.automatic)
            if automatic and stage != ScoreStage.DECISION:
                stored = row.recorded
            self.fields[f"gate_{gate.pk}"] = forms.ChoiceField(
                label=f"{gate.code}. {gate.question}",
                choices=YES_NO,
                required=False,
                initial=_answer_text(stored),
                disabled=automatic,
                widget=forms.RadioSelect(attrs={"data-cap": str(gate.cap_level)}),
            )
        if with_evidence:
            files = [f for row in sheet.items for f in row.evidence]
            self.fields["remove_evidence"] = forms.MultipleChoiceField(
                required=False, choices=[(str(f.pk), str(f)) for f in files]
            )

    def clean(self):
        cleaned = super().clean()
        parsed = {}
        for row in self.sheet.items:
            name = f"score_{row.item.pk}"
            try:
                parsed[row.item.code] = parse_score(cleaned.get(name), row.item)
            except ValidationError as exc:
                self.add_error(name, exc.messages[0])
            if self.with_evidence:
                upload = cleaned.get(f"evidence_{row.item.pk}")
                if upload:
                    try:
                        validate_evidence_file(upload)
                    except ValidationError as exc:
                        self.add_error(f"evidence_{row.item.pk}", exc.messages[0])
        if self.from_record:
            readings = {r.item.code: r.reading for r in self.sheet.items if r.reading}
            record = UnitRecord(items=readings, gates={})
            items = {r.item.code: r.item for r in self.sheet.items}
            for code, message in override_problems(
                items.values(), parsed, record, self.reasons()
            ).items():
                self.add_error(f"reason_{items[code].pk}", message)
        return cleaned

    def reasons(self) -> dict[str, str]:
        """The reasons typed beside quantitative items, by item code."""
        return {
            row.item.code: (self.cleaned_data.get(f"reason_{row.item.pk}") or "").strip()
            for row in self.sheet.items
            if f"reason_{row.item.pk}" in self.fields
        }

    def scores(self) -> dict[str, str]:
        """Typed scores by item code (blank ones left out), for the services."""
        values = {}
        for row in self.sheet.items:
            value = (self.cleaned_data.get(f"score_{row.item.pk}") or "").strip()
            if value:
                values[row.item.code] = value
        return values

    def gates(self) -> dict[str, bool]:
        values = {}
        for row in self.sheet.gates:
            answer = _answer(self.cleaned_data.get(f"gate_{row.gate.pk}"))
            if answer is not None:
                values[row.gate.code] = answer
        return values

    def uploads(self):
        """(item, uploaded file) for every item given a new file."""
        return [
            (row.item, self.cleaned_data[f"evidence_{row.item.pk}"])
            for row in self.sheet.items
            if self.with_evidence and self.cleaned_data.get(f"evidence_{row.item.pk}")
        ]

    def removed(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove_evidence", [])]

    def groups(self) -> list[dict]:
        """The sheet's groups with each item's bound fields, for the template."""
        return [
            {
                "group": group.group,
                "rows": [
                    {
                        "row": row,
                        "score": self[f"score_{row.item.pk}"],
                        "evidence": self[f"evidence_{row.item.pk}"] if self.with_evidence else None,
                        "reason": self[f"reason_{row.item.pk}"]
                        if f"reason_{row.item.pk}" in self.fields
                        else None,
                    }
                    for row in group.items
                ],
            }
            for group in self.sheet.groups
        ]

    def gate_rows(self) -> list[dict]:
        return [{"row": row, "field": self[f"gate_{row.gate.pk}"]} for row in self.sheet.gates]


class AdjustForm(ScoreSheetForm):
    """The decider's sheet: the proposal's scores, changed where needed, with the
    reason the service requires for any change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Lý do điều chỉnh"),
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Bắt buộc khi kết quả khác với đề xuất."),
        )
