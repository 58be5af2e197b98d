from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member


class AccountDeleteForm(forms.Form):
    """ "Delete my account", confirmed with the member's password, or their two-factor code
    when they have no password here (signed in through the product, or only with a code)."""

    password = forms.CharField(
        label=_("Your password"), required=False, widget=forms.PasswordInput, strip=False
    )
    code = forms.CharField(label=_("Two-factor code"), required=False, max_length=20)
    confirm_username = forms.CharField(
        label=_("Type your username to confirm"), required=False, max_length=150
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.totp = Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).first()
        self.method = (
            "password" if member.has_usable_password() else "code" if self.totp else "username"
        )
        kept = {"password": "password", "code": "code", "username": "confirm_username"}
        for name in list(self.fields):
            if name != kept[self.method]:
                del self.fields[name]
        self.fields[kept[self.method]].required = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if self.totp is None or not TOTP(self.totp).validate_code(code):
            raise forms.ValidationError(_("That code is not right."))
        return code

    def clean_confirm_username(self) -> str:
        typed = self.cleaned_data["confirm_username"].strip()
        if typed.lower() != self.member.username.lower():
            raise forms.ValidationError(_("That is not your username."))
        return typed
