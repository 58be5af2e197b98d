import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .models import MessageSettings

BODY_MAX = 20000
_NAMES_RE = re.compile(r"[\s,;]+")
NAMES_MAX = 60  # more names than even staff may address are refused before any lookup


class RecipientsField(forms.CharField):
    """Usernames separated by commas or spaces (an "@" in front is allowed) → members."""

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        names: list[str] = []
        for name in _NAMES_RE.split(text):
            name = name.strip().lstrip("@")
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value: object) -> None:
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value: object) -> list[Member]:
        names = self.to_python(value)
        self.validate(names)
        if len(names) > NAMES_MAX:
            raise ValidationError(_("Too many recipients."), code="too_many")
        found = {
            m.username.lower(): m
            for m in Member.objects.filter(
                username__in=names, is_active=True, deleted_at__isnull=True
            )
        }
        unknown = [name for name in names if name.lower() not in found]
        if unknown:
            raise ValidationError(
                _("No member is called %(names)s.") % {"names": ", ".join(unknown)},
                code="unknown",
            )
        return [found[name.lower()] for name in names]


class ConversationForm(forms.Form):
    to = RecipientsField(
        label=_("To"),
        max_length=2000,
        help_text=_("Usernames, separated by commas."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MessageSettingsForm(forms.Form):
    accept_from = forms.ChoiceField(
        label=_("Accept private messages from"),
        choices=MessageSettings.AcceptFrom.choices,
        widget=forms.RadioSelect,
    )
