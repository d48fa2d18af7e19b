"""The e-mail preference on the notifications page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailPreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Nhận thông báo qua thư điện tử"),
        required=False,
        help_text=_("Trả lại đánh giá: gửi ngay; các thông báo khác: gộp tối đa một thư mỗi ngày."),
    )
