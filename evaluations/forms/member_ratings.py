"""A roster's member ratings: one level per member whose current step the user may
record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.chains import chain_of_unit
from evaluations.choices import Stage
from evaluations.forms.scores import LEVEL_SELECT
from evaluations.stages import takes_in


class RosterRatingForm(forms.Form):
    """One level (and, at the decision, a reason) per member whose current step the
    user may record; members left on "—" are skipped."""

    def __init__(self, *args, rows, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        # One roster, one unit: one chain (read once).
        chain = chain_of_unit(rows[0].membership.unit) if rows else None
        for row in rows:
            row.editable = not row.is_locked and takes_in(user, chain, row.stage)
            if not row.editable:
                continue
            pk = row.membership.pk
            # The step before's level is the usual answer: approving a roster as
            # proposed is one click.
            previous = None
            if row.rating and row.stage == Stage.PROPOSAL:
                previous = row.rating.self_level
            elif row.rating and row.stage == Stage.DECISION:
                previous = row.rating.proposed_level
            self.fields[f"level_{pk}"] = forms.ChoiceField(
                label=_("Mức xếp loại của %(name)s") % {"name": row.membership.person.full_name},
                choices=LEVEL_SELECT,
                required=False,
                initial=str(previous) if previous else "",
            )
            if row.stage == Stage.DECISION:
                self.fields[f"reason_{pk}"] = forms.CharField(
                    label=_("Lý do điều chỉnh"),
                    required=False,
                    max_length=500,
                    help_text=_("Khi khác mức đề xuất."),
                    widget=forms.TextInput(attrs={"placeholder": _("Lý do, nếu khác mức đề xuất")}),
                )
        for row in rows:
            row.level_field = self[f"level_{row.membership.pk}"] if row.editable else None
            row.reason_field = (
                self[f"reason_{row.membership.pk}"]
                if row.editable and row.stage == Stage.DECISION
                else None
            )

    def levels(self) -> dict:
        chosen = {}
        for row in self.rows:
            if not row.editable:
                continue
            level = self.cleaned_data.get(f"level_{row.membership.pk}")
            if level:
                reason = self.cleaned_data.get(f"reason_{row.membership.pk}", "")
                chosen[row.membership] = (level, reason)
        return chosen
