from django import forms
from django.utils.translation import gettext_lazy as _


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"))
    note = forms.CharField(
        label=_("A personal note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to be an ambassador?"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    message = forms.CharField(required=False, max_length=500)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PerkGrantForm(forms.Form):
    username = forms.CharField(label=_("Username of the member"), max_length=150)


class PerkCodesForm(forms.Form):
    codes = forms.CharField(
        label=_("Codes, one a line"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_codes(self) -> list[str]:
        return [line.strip()[:200] for line in self.cleaned_data["codes"].splitlines()]


class PerkRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
