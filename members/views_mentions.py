"""The mention picker's suggestions (static/js/mentions.js asks as one types ``@``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .forms import MentionSuggestForm
from .http import AuthenticatedHttpRequest

SUGGESTIONS = 8


@login_required
@require_safe
def mention_suggest_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Up to eight members to mention, as the options of a listbox (an htmx fragment):
    experts in the question's tags first. Members only: visitors cannot post."""
    form = MentionSuggestForm(request.GET)
    if not form.is_valid():
        return render(
            request, "members/_mention_suggestions.html", {"members": [], "form": form}, status=400
        )
    members = selectors.member_list_mention_suggestions(
        form.cleaned_data["q"],
        tag_slugs=form.cleaned_data["tags"],
        exclude_ids=[request.user.pk],
        limit=SUGGESTIONS,
    )
    return render(request, "members/_mention_suggestions.html", {"members": members, "form": form})
