from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from .sources import SOURCES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _search_type_choices() -> "list[tuple[str, StrOrPromise]]":
    """Everything, or one of the registered search sources (forum's own and those other apps
    add in their ``ready``), in registration order."""
    choices: list[tuple[str, StrOrPromise]] = [("", _("Everything"))]
    return choices + [(key, source.label) for key, source in SOURCES.items()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_search_type_choices)
