"""Forms of the village reorganisation pages (merge, rename, move): they parse what is
typed; the rules live in ``members.reorganise``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import ERROR_CHOICE, ERROR_REQUIRED, DayField, ServiceForm

EFFECTIVE_ON_HELP = _("Ngày đầu tiên theo cách sắp xếp mới (theo nghị quyết, quyết định).")


def _effective_on():
    return DayField(label=_("Có hiệu lực từ ngày"), required=True, help_text=EFFECTIVE_ON_HELP)


def _name(label):
    return forms.CharField(label=label, max_length=150, error_messages={"required": ERROR_REQUIRED})


class _ReorganiseForm(ServiceForm):
    def __init__(self, *args, **kwargs):
        initial = {"effective_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)


class VillageMergeForm(_ReorganiseForm):
    """Two or more villages of the commune and the name of the merged one."""

    villages = forms.ModelMultipleChoiceField(
        label=_("Các thôn, tổ dân phố sáp nhập"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_REQUIRED, "invalid_choice": ERROR_CHOICE},
    )
    name = _name(_("Tên thôn, tổ dân phố sau sáp nhập"))
    effective_on = _effective_on()

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages


class VillageRenameForm(_ReorganiseForm):
    name = _name(_("Tên mới"))
    effective_on = _effective_on()


class VillageMoveForm(_ReorganiseForm):
    """The commune of the same province the village moves to."""

    commune = forms.ModelChoiceField(
        label=_("Chuyển sang xã, phường"),
        queryset=None,
        error_messages={"required": ERROR_REQUIRED, "invalid_choice": ERROR_CHOICE},
    )
    effective_on = _effective_on()

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
