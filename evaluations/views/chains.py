"""The province's approval chains: which steps its ratings go through and who takes
each, per kind of unit (evaluations.chains)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.selectors import areas_visible_to
from evaluations import stages
from evaluations.chains import CHAIN_KINDS
from evaluations.choices import Subject
from evaluations.forms.chains import DEFAULT, ChainForm
from evaluations.models import ApprovalChain
from evaluations.services.chains import approval_chain_reset, approval_chain_set
from evaluations.views.base import RatingsMixin
from units.choices import Level

MESSAGE_CHAIN_SAVED = _("Đã lưu quy trình phê duyệt của {kind}.")


def provinces_managed_by(user):
    """The provinces whose chains ``user`` sets: those of the scope."""
    return areas_visible_to(user).filter(level=Level.PROVINCE).order_by("-edition", "code")


class ChainListView(RatingsMixin, View):
    """The provinces of the user's scope; one province goes straight to its page."""

    permission = stages.MANAGE_CRITERIA
    template_name = "evaluations/chain_list.html"

    def get(self, request):
        provinces = list(provinces_managed_by(request.user))
        if len(provinces) == 1:
            return redirect("evaluations:chains", pk=provinces[0].pk)
        return render(request, self.template_name, {"provinces": provinces})


class ChainView(RatingsMixin, View):
    """One form per kind of unit: the default, or the role taking each step."""

    permission = stages.MANAGE_CRITERIA
    template_name = "evaluations/chains.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.province = None

    def load(self):
        self.province = get_object_or_404(
            provinces_managed_by(self.request.user), pk=self.kwargs["pk"]
        )
        self.chains = {c.kind: c for c in ApprovalChain.objects.filter(province=self.province)}

    def form(self, kind, data=None):
        return ChainForm(data, prefix=kind, chain=self.chains.get(kind))

    def render_forms(self, forms):
        sections = [(kind, Subject(kind).label, forms[kind]) for kind in CHAIN_KINDS]
        return render(
            self.request, self.template_name, {"province": self.province, "sections": sections}
        )

    def get(self, request, pk):
        self.load()
        return self.render_forms({kind: self.form(kind) for kind in CHAIN_KINDS})

    def post(self, request, pk):
        self.load()
        kind = request.POST.get("kind", "")
        forms = {k: self.form(k) for k in CHAIN_KINDS}
        if kind not in CHAIN_KINDS:
            return self.render_forms(forms)
        form = forms[kind] = self.form(kind, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["mode"] == DEFAULT:
                    approval_chain_reset(
                        acting_user=request.user, province=self.province, kind=kind
                    )
                else:
                    approval_chain_set(
                        acting_user=request.user,
                        province=self.province,
                        kind=kind,
                        self_role=data["self_role"],
                        proposal_role=data["proposal_role"],
                        decision_role=data["decision_role"],
                    )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                label = str(Subject(kind).label).lower()
                messages.success(request, str(MESSAGE_CHAIN_SAVED).format(kind=label))
                return redirect("evaluations:chains", pk=self.province.pk)
        return self.render_forms(forms)
