"""The token page's forms: a new token, a new bot account (staff)."""

from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .models import Scope
from .permissions import can_act_for_community, scopes_allowed_for
from .selectors import bot_list


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “Helpdesk integration”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    acting_as = forms.ModelChoiceField(
        label=_("Acts as"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Me"),
        help_text=_("Staff tokens may act as a bot account, which then signs what they post."),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = scopes_allowed_for(member)
        scopes = cast(forms.MultipleChoiceField, self.fields["scopes"])
        scopes.choices = [(value, label) for value, label in Scope.choices if value in allowed]
        if can_act_for_community(member):
            cast(forms.ModelChoiceField, self.fields["acting_as"]).queryset = bot_list()
        else:
            del self.fields["acting_as"]


class BotForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    display_name = forms.CharField(label=_("Display name"), max_length=80)
