import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from config.csvexport import spreadsheet_row
from members.http import AuthenticatedHttpRequest
from members.letters import OUTREACH_PLACEHOLDERS
from members.selectors import community_settings_get, outreach_template_list

from . import selectors, services, sources
from .filters import AtRiskFilter
from .forms import DateRange, DateRangeForm, OutreachForm, date_range_from
from .permissions import check_can_view_analytics
from .selectors import at_risk as at_risk_selectors


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
    watermarks = selectors.watermark_list()
    return render_to_string(
        "analytics/_dashboard_body.html",
        {
            "form": shown,
            "date_range": date_range,
            "panels": selectors.dashboard_panels(date_range),
            "watermarks": watermarks,
            "missing_from": selectors.rollup_missing_from(date_range, watermarks),
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
    writer.writerow(spreadsheet_row(data.csv_header))
    writer.writerows(spreadsheet_row(row) for row in data.csv_rows)
    return response


# --- members at risk and personal outreach (docs/community-manager.md) ---------------------

AT_RISK_PAGE_SIZE = 50


@staff_only
@require_safe
def at_risk_list_view(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    today = timezone.localdate()
    filterset = AtRiskFilter(request.GET, queryset=sources.at_risk_list(today), today=today)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            at_risk_selectors.at_risk_csv_lines(filterset.qs, today),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="members-at-risk-{today}.csv"'
        return response
    page = Paginator(filterset.qs, AT_RISK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/at_risk.html",
        {
            "filter": filterset,
            "page_obj": page,
            "members": sources.at_risk_with_tags(page.object_list),
            "templates": outreach_template_list(),
            "today": today,
            "at_risk_days": settings.VECHE_AT_RISK_DAYS,
        },
    )


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def outreach_write_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the letter as the first chosen member would get it, and whom it goes to;
    POST: send it to each of them."""
    today = timezone.localdate()
    form = OutreachForm(
        request.POST if request.method == "POST" else request.GET,
        members=sources.members_at_risk(today),
        templates=outreach_template_list(),
    )
    if not form.is_valid():
        return render(request, "analytics/outreach_write.html", {"form": form}, status=400)
    template = form.cleaned_data["template"]
    chosen = [m.pk for m in form.cleaned_data["member"]]
    if request.method == "POST":
        result = services.outreach_send(actor=request.user, member_ids=chosen, template=template)
        messages.success(
            request,
            ngettext("%(n)s letter is on its way.", "%(n)s letters are on their way.", result.sent)
            % {"n": result.sent},
        )
        if result.opted_out or result.written_lately:
            messages.info(
                request,
                _(
                    "Not written to: %(opted_out)s who turned these letters off, "
                    "%(lately)s written to in the last %(days)s days."
                )
                % {
                    "opted_out": result.opted_out,
                    "lately": result.written_lately,
                    "days": services.OUTREACH_GAP_DAYS,
                },
            )
        return redirect("analytics:at-risk")
    recipients = at_risk_selectors.outreach_recipients(chosen, today)
    preview = at_risk_selectors.outreach_preview(
        recipients[0],
        template,
        manager=request.user.name,
        community=community_settings_get().community_name,
    )
    return render(
        request,
        "analytics/outreach_write.html",
        {
            "form": form,
            "template": template,
            "recipients": recipients,
            "preview": preview,
            "placeholders": OUTREACH_PLACEHOLDERS.items(),
        },
    )
