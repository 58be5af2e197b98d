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
