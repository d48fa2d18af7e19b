"""The approval chain of one kind of unit, on the province's chains page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import StaffRole
from evaluations.chains import ROLE_CHOICES
from evaluations.choices import Stage

DEFAULT, CUSTOM = "default", "custom"


def _roles(stage) -> list:
    return [(role, StaffRole(role).label) for role in ROLE_CHOICES[stage]]


class ChainForm(forms.Form):
    """Default, or the roles of each step; no proposal when none is chosen."""

    mode = forms.ChoiceField(
        label=_("Quy trình"),
        choices=[
            (DEFAULT, _("Mặc định: đơn vị tự đánh giá → cấp xã đề xuất → cấp trên quyết định")),
            (CUSTOM, _("Tỉnh tự đặt các bước dưới đây")),
        ],
        widget=forms.RadioSelect,
    )
    self_role = forms.ChoiceField(label=_("Tự đánh giá do"), choices=_roles(Stage.SELF))
    proposal_role = forms.ChoiceField(
        label=_("Đề xuất do"),
        required=False,
        choices=[("", _("— Không có bước đề xuất —")), *_roles(Stage.PROPOSAL)],
    )
    decision_role = forms.ChoiceField(label=_("Quyết định do"), choices=_roles(Stage.DECISION))

    def __init__(self, *args, chain=None, **kwargs):
        if chain is not None:
            initial = {
                "mode": CUSTOM,
                "self_role": chain.self_role,
                "proposal_role": chain.proposal_role,
                "decision_role": chain.decision_role,
            }
        else:
            initial = {
                "mode": DEFAULT,
                "self_role": StaffRole.COMMUNE_OFFICER,
                "proposal_role": StaffRole.COMMUNE_OFFICER,
                "decision_role": StaffRole.PROVINCE_STAFF,
            }
        super().__init__(*args, initial=initial, **kwargs)
