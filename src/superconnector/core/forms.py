from django import forms
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    """One code: from the authenticator app, or a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
