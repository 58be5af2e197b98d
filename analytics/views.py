import csv
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import DateRangeForm, date_range_from
from .models import RollupWatermark
from .permissions import check_can_view_analytics


def staff_only(view):
    """Visitors go to the login page; signed-in members who are not staff get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_can_view_analytics(request.user)
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form, date_range = date_range_from(request.GET)
    if date_range is None:
        return render(request, "analytics/dashboard.html", {"form": form}, status=400)
    # shown with the period's dates filled in, ready to be adjusted as custom dates
    shown = DateRangeForm({"range": date_range.preset, "start": date_range.start,
                           "end": date_range.end})
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": shown,
            "date_range": date_range,
            "panels": selectors.dashboard_panels(date_range),
            "watermarks": RollupWatermark.objects.order_by("metric"),
            "query": request.GET.urlencode(),
        },
    )


@staff_only
def table_csv_view(request: HttpRequest, table: str) -> HttpResponse:
    form, date_range = date_range_from(request.GET)
    if date_range is None:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    data = selectors.table_get(table, date_range)
    if data is None:
        raise Http404(_("No such table."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{date_range.start}-{date_range.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([str(c) for c in data.columns])
    writer.writerows(data.rows)
    return response
