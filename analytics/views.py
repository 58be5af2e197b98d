import csv
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from config.csvexport import spreadsheet_row

from . import selectors
from .forms import DateRange, DateRangeForm, date_range_from
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
    body = selectors.dashboard_cached(date_range, "body", lambda: _dashboard_body(date_range))
    return render(request, "analytics/dashboard.html", {"date_range": date_range, "body": body})


def _dashboard_body(date_range: DateRange) -> SafeString:
    """The period picker and the panels as HTML: building the charts and tables is most of
    the page's work, so the result is cached. Rendered without the request, so that nothing
    about the viewer (CSRF token, header, messages) can get into it."""
    # the picker shows the period's dates, ready to be adjusted as custom dates
    shown = DateRangeForm(
        {"range": date_range.preset, "start": date_range.start, "end": date_range.end}
    )
    return render_to_string(
        "analytics/_dashboard_body.html",
        {
            "form": shown,
            "date_range": date_range,
            "panels": selectors.dashboard_panels(date_range),
            "watermarks": selectors.watermark_list(),
            "query": date_range.query,
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
    writer.writerow(spreadsheet_row(str(c) for c in data.columns))
    writer.writerows(spreadsheet_row(row) for row in data.rows)
    return response
