from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Member


def floor_view(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: one query and a tiny template, through the full middleware."""
    count = Member.objects.filter(pk__lte=10).count()
    return render(request, "bench/floor.html", {"count": count})
