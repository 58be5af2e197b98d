from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Endpoint, Event


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("For Telegram: https://api.telegram.org/bot<token>/sendMessage"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Endpoint.Format.choices)
    chat_id = forms.CharField(
        label=_("Telegram chat"),
        max_length=100,
        required=False,
        help_text=_("The chat id or @channel the bot posts to (Telegram only)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(value, label) for value, label in Event.choices if value != Event.PING],
        widget=forms.CheckboxSelectMultiple,
    )
    allow_private = forms.BooleanField(
        label=_("Allow this server and private networks"),
        required=False,
        help_text=_("Only for a receiver you run inside your own network."),
    )

    @classmethod
    def for_endpoint(cls, endpoint: Endpoint, data: Any = None) -> "EndpointForm":
        initial = {
            "name": endpoint.name,
            "url": endpoint.url,
            "format": endpoint.format,
            "chat_id": endpoint.chat_id,
            "events": endpoint.events,
            "allow_private": endpoint.allow_private,
        }
        return cls(data, initial=initial)


class EmbedOriginForm(forms.Form):
    origin = forms.CharField(
        label=_("Origin"),
        max_length=200,
        help_text=_("The scheme and host of the help centre, e.g. https://help.example.com"),
    )


class WidgetSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the community"), max_length=100, required=False)
    topic = forms.SlugField(max_length=50, required=False, allow_unicode=True)
